/**
 * The id -> unit index map of a KV cache (kv-blocks.ts): an open-addressing hash table over typed arrays
 * (linear probing, load at most 1/2, deletion by shifting the rest of the probe run back, no tombstones),
 * so a lookup costs a multiply and a probe or two and nothing is allocated once it has grown, where a
 * Map hashes and boxes its number keys. Keys are prefix-unit ids: any number but NaN (the empty mark);
 * 0 and -0 are one key, as in a Map.
 */

/** Fibonacci hashing: the golden ratio's 32-bit fraction. */
const GOLDEN = 0x9e3779b1;

export class UnitTable {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  private n = 0;
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);

  constructor(capacity = 64) {
    let cap = 16;
    while (cap < 2 * capacity) cap *= 2;
    this.keys = new Float64Array(cap).fill(Number.NaN);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  /** Keys held. */
  get size(): number {
    return this.n;
  }

  /** The value of `key`, or -1 when absent. */
  get(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key) return this.vals[i];
      if (Number.isNaN(k)) return -1; // empty
    }
  }

  /** Add `key` (absent) with value `val`. */
  add(key: number, val: number): void {
    if (2 * (this.n + 1) > this.keys.length) this.rehash(2 * this.keys.length);
    const keys = this.keys;
    const mask = this.mask;
    let i = this.home(key);
    while (!Number.isNaN(keys[i])) i = (i + 1) & mask;
    keys[i] = key === 0 ? 0 : key;
    this.vals[i] = val;
    this.n++;
  }

  /** Remove `key` (present). */
  delete(key: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = this.home(key);
    while (keys[i] !== key) i = (i + 1) & mask;
    // Shift back each later entry of the run whose home is not in (i, j], so every key stays reachable.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = keys[j];
      if (Number.isNaN(k)) break;
      const h = this.home(k);
      if (((j - h) & mask) >= ((j - i) & mask)) {
        keys[i] = k;
        vals[i] = vals[j];
        i = j;
      }
    }
    keys[i] = Number.NaN;
    this.n--;
  }

  /** Call fn(value) for every entry, in slot order. */
  forEachValue(fn: (val: number) => void): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (!Number.isNaN(keys[i])) fn(this.vals[i]);
  }

  clear(): void {
    this.keys.fill(Number.NaN);
    this.n = 0;
  }

  private home(key: number): number {
    let h: number;
    if ((key | 0) === key) h = key | 0;
    else {
      this.bits[0] = key;
      h = this.words[0] ^ Math.imul(this.words[1], GOLDEN);
    }
    return Math.imul(h, GOLDEN) >>> this.shift;
  }

  private rehash(cap: number): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    this.keys = new Float64Array(cap).fill(Number.NaN);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.n = 0;
    for (let i = 0; i < oldKeys.length; i++) if (!Number.isNaN(oldKeys[i])) this.add(oldKeys[i], oldVals[i]);
  }
}
