/**
 * A small binary min-heap of items keyed on (time, insertion order): ties pop first-in first-out, which
 * keeps merges and session schedules deterministic.
 */
export class MinHeap<T> {
  private items: T[] = [];
  private times: number[] = [];
  private seqs: number[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** Time of the earliest item; Infinity when empty. */
  peekTime(): number {
    return this.items.length > 0 ? this.times[0] : Number.POSITIVE_INFINITY;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(time: number, item: T): void {
    const s = this.seq++;
    let i = this.items.length;
    this.items.push(item);
    this.times.push(time);
    this.seqs.push(s);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(time, s, this.times[p], this.seqs[p])) break;
      this.set(i, this.items[p], this.times[p], this.seqs[p]);
      i = p;
    }
    this.set(i, item, time, s);
  }

  /** Removes and returns the earliest item; undefined when empty. */
  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0];
    const item = this.items.pop() as T;
    const time = this.times.pop() as number;
    const s = this.seqs.pop() as number;
    if (n > 1) {
      const m = n - 1;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && this.less(this.times[c + 1], this.seqs[c + 1], this.times[c], this.seqs[c])) c++;
        if (!this.less(this.times[c], this.seqs[c], time, s)) break;
        this.set(i, this.items[c], this.times[c], this.seqs[c]);
        i = c;
      }
      this.set(i, item, time, s);
    }
    return top;
  }

  private less(ta: number, sa: number, tb: number, sb: number): boolean {
    return ta < tb || (ta === tb && sa < sb);
  }

  private set(i: number, item: T, time: number, s: number): void {
    this.items[i] = item;
    this.times[i] = time;
    this.seqs[i] = s;
  }
}
