/**
 * A binary min-heap of events keyed on (time, sequence), stored in parallel typed arrays so that pushing
 * and popping allocate nothing once the arrays have grown. Ties in time pop in insertion order, which is
 * what makes runs deterministic.
 */

export class EventHeap {
  private time: Float64Array;
  private seq: Float64Array;
  private target: Int32Array;
  private kind: Int32Array;
  private arg: Float64Array;
  private n = 0;
  private nextSeq = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.target = new Int32Array(capacity);
    this.kind = new Int32Array(capacity);
    this.arg = new Float64Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.time[0] : Number.POSITIVE_INFINITY;
  }

  push(time: number, target: number, kind: number, arg: number): void {
    if (this.n === this.time.length) this.grow();
    let i = this.n++;
    const s = this.nextSeq++;
    // Sift up: move parents down until the slot for (time, s) is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.time[p];
      if (pt < time || (pt === time && this.seq[p] < s)) break;
      this.move(p, i);
      i = p;
    }
    this.time[i] = time;
    this.seq[i] = s;
    this.target[i] = target;
    this.kind[i] = kind;
    this.arg[i] = arg;
  }

  /** Last popped event's fields (valid until the next pop). */
  poppedTime = 0;
  poppedTarget = 0;
  poppedKind = 0;
  poppedArg = 0;

  /** Remove the earliest event into popped*; returns false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    this.poppedTime = this.time[0];
    this.poppedTarget = this.target[0];
    this.poppedKind = this.kind[0];
    this.poppedArg = this.arg[0];
    const last = --this.n;
    if (last === 0) return true;
    const t = this.time[last];
    const s = this.seq[last];
    const tg = this.target[last];
    const k = this.kind[last];
    const a = this.arg[last];
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (
        r < last &&
        (this.time[r] < this.time[c] || (this.time[r] === this.time[c] && this.seq[r] < this.seq[c]))
      ) {
        c = r;
      }
      const ct = this.time[c];
      if (t < ct || (t === ct && s < this.seq[c])) break;
      this.move(c, i);
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.target[i] = tg;
    this.kind[i] = k;
    this.arg[i] = a;
    return true;
  }

  clear(): void {
    this.n = 0;
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from];
    this.seq[to] = this.seq[from];
    this.target[to] = this.target[from];
    this.kind[to] = this.kind[from];
    this.arg[to] = this.arg[from];
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const t = new Float64Array(cap);
    t.set(this.time);
    this.time = t;
    const s = new Float64Array(cap);
    s.set(this.seq);
    this.seq = s;
    const tg = new Int32Array(cap);
    tg.set(this.target);
    this.target = tg;
    const k = new Int32Array(cap);
    k.set(this.kind);
    this.kind = k;
    const a = new Float64Array(cap);
    a.set(this.arg);
    this.arg = a;
  }
}
