/**
 * The slot bookkeeping of a struct-of-arrays table (the run's request table, a simulated model's attempt
 * pool): indices 0..capacity-1 handed out low-first, given back in any order, and doubled when all are in
 * use. The table owns its columns: when take() says it is full, it grows them (engine/grow.ts) to grow()'s
 * new capacity. Allocation-free except when it grows.
 */
export class FreeList {
  private free: Int32Array;
  private nFree: number;
  private cap: number;

  constructor(capacity: number) {
    this.cap = capacity;
    this.free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.nFree = capacity;
  }

  /** Indices there are room for now. */
  get capacity(): number {
    return this.cap;
  }

  /** Indices handed out and not given back. */
  get used(): number {
    return this.cap - this.nFree;
  }

  /** A free index, or -1 when every index is in use (grow, then take again). */
  take(): number {
    return this.nFree === 0 ? -1 : this.free[--this.nFree];
  }

  /** Give index i back (it must have been taken and not given back since). */
  give(i: number): void {
    this.free[this.nFree++] = i;
  }

  /** Double the capacity; call only when full (take() returned -1). Returns the new capacity. */
  grow(): number {
    const old = this.cap;
    const cap = old * 2;
    const free = new Int32Array(cap);
    // Every old index is in use; the new ones are free, handed out low-first.
    for (let i = 0; i < cap - old; i++) free[i] = cap - 1 - i;
    this.free = free;
    this.nFree = cap - old;
    this.cap = cap;
    return cap;
  }
}
