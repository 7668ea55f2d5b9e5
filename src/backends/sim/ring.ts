/**
 * A growable FIFO of int32 values (attempt pool indices) in a ring buffer: push and shift allocate nothing
 * once the buffer has grown to the largest depth seen.
 */
export class IntRing {
  private buf: Int32Array;
  private head = 0;
  private n = 0;

  constructor(capacity = 64) {
    let c = 1;
    while (c < capacity) c <<= 1;
    this.buf = new Int32Array(c);
  }

  get size(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = v;
    this.n++;
  }

  /** Remove and return the oldest value. Throws when empty (a caller bug). */
  shift(): number {
    if (this.n === 0) throw new RangeError('IntRing.shift: empty');
    const v = this.buf[this.head];
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.n--;
    return v;
  }

  /** Remove the first occurrence of `v`, keeping the order of the rest; false when absent. O(size). */
  remove(v: number): boolean {
    const m = this.buf.length - 1;
    let k = 0;
    while (k < this.n && this.buf[(this.head + k) & m] !== v) k++;
    if (k === this.n) return false;
    for (; k < this.n - 1; k++) this.buf[(this.head + k) & m] = this.buf[(this.head + k + 1) & m];
    this.n--;
    return true;
  }

  /** The value at position k from the oldest (0 <= k < size). */
  at(k: number): number {
    return this.buf[(this.head + k) & (this.buf.length - 1)];
  }

  /** Remove everything. */
  clear(): void {
    this.head = 0;
    this.n = 0;
  }

  private grow(): void {
    const old = this.buf;
    const next = new Int32Array(old.length * 2);
    for (let i = 0; i < this.n; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}
