/**
 * The id -> unit index map of a KV cache (kv-blocks.ts): an open-addressing hash table over typed arrays
 * (linear probing, load at most 1/2, deletion by shifting the rest of the probe run back, no tombstones),
 * so a lookup costs a multiply and a probe or two and nothing is allocated once it has grown, where a
 * Map hashes and boxes its number keys. Keys are prefix-unit ids: any number but NaN (the empty mark);
 * 0 and -0 are one key, as in a Map.
 *
 * An entry is 16 bytes of one buffer, [key: float64, value: int32, unused], seen through two views, so a
 * probe touches one cache line; a request's prefix ids are mostly consecutive integers, and each aligned
 * group of 4 of them has its home entries side by side in one 64-byte line (groups spread by Fibonacci
 * hashing), as in prefix-lru.ts.
 */

/** Fibonacci hashing: the golden ratio's 32-bit fraction. */
const GOLDEN = 0x9e3779b1;

export class UnitTable {
  /** Entry i: key at f64[2i], value at i32[4i + 2]. */
  private f64!: Float64Array;
  private i32!: Int32Array;
  private cap!: number;
  private mask!: number;
  /** Shifts of the hash to a group of 4 entries and (other keys) to an entry. */
  private groupShift!: number;
  private shift!: number;
  private n = 0;
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);

  constructor(capacity = 64) {
    let cap = 16;
    while (cap < 2 * capacity) cap *= 2;
    this.allocate(cap);
  }

  /** Empty entries for `cap` keys (a power of 2), and the hash shifts that go with them. */
  private allocate(cap: number): void {
    this.cap = cap;
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.groupShift = this.shift + 2;
    this.f64 = new Float64Array(2 * cap).fill(Number.NaN);
    this.i32 = new Int32Array(this.f64.buffer);
    this.n = 0;
  }

  /** Keys held. */
  get size(): number {
    return this.n;
  }

  /** The value of `key`, or -1 when absent. */
  get(key: number): number {
    const f = this.f64;
    const mask = this.mask;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const k = f[2 * i];
      if (k === key) return this.i32[4 * i + 2];
      if (Number.isNaN(k)) return -1; // empty
    }
  }

  /** Add `key` (absent) with value `val`. */
  add(key: number, val: number): void {
    if (2 * (this.n + 1) > this.cap) this.rehash(2 * this.cap);
    const f = this.f64;
    const mask = this.mask;
    let i = this.home(key);
    while (!Number.isNaN(f[2 * i])) i = (i + 1) & mask;
    f[2 * i] = key === 0 ? 0 : key;
    this.i32[4 * i + 2] = val;
    this.n++;
  }

  /** Remove `key` (present). */
  delete(key: number): void {
    const f = this.f64;
    const v = this.i32;
    const mask = this.mask;
    let i = this.home(key);
    while (f[2 * i] !== key) i = (i + 1) & mask;
    // Shift back each later entry of the run whose home is not in (i, j], so every key stays reachable.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = f[2 * j];
      if (Number.isNaN(k)) break;
      const h = this.home(k);
      if (((j - h) & mask) >= ((j - i) & mask)) {
        f[2 * i] = k;
        v[4 * i + 2] = v[4 * j + 2];
        i = j;
      }
    }
    f[2 * i] = Number.NaN;
    this.n--;
  }

  /** Call fn(value) for every entry, in slot order. */
  forEachValue(fn: (val: number) => void): void {
    const f = this.f64;
    for (let i = 0; i < this.cap; i++) if (!Number.isNaN(f[2 * i])) fn(this.i32[4 * i + 2]);
  }

  clear(): void {
    for (let i = 0; i < this.cap; i++) this.f64[2 * i] = Number.NaN;
    this.n = 0;
  }

  private home(key: number): number {
    if ((key | 0) === key) return ((Math.imul(key >> 2, GOLDEN) >>> this.groupShift) << 2) | (key & 3);
    this.bits[0] = key;
    return Math.imul(this.words[0] ^ Math.imul(this.words[1], GOLDEN), GOLDEN) >>> this.shift;
  }

  private rehash(cap: number): void {
    const old = this.f64;
    const oldI = this.i32;
    const oldCap = this.cap;
    this.allocate(cap);
    for (let i = 0; i < oldCap; i++) if (!Number.isNaN(old[2 * i])) this.add(old[2 * i], oldI[4 * i + 2]);
  }
}
