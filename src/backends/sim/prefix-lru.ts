/**
 * An LRU set of prefix blocks (block id = content hash of a prompt prefix up to that block; equal id means
 * equal content), holding at most `capacityBlocks` blocks.
 *
 * - `match(blocks)` counts the LEADING blocks present (stopping at the first miss) and, when asked, marks
 *   them used.
 * - `insert(blocks)` adds or refreshes every block of the list, the deepest first, so that a prompt's
 *   leading blocks end up the most recently used: eviction removes the tails of cold prefixes before
 *   their heads (the leaf-first order paged KV caches use). Only the first `capacityBlocks` are kept.
 *
 * Built for the per-attempt hot path: one open-addressing hash table (linear probing, Fibonacci hashing,
 * load <= 1/2) whose entries are also the nodes of the recency list: keys in one Float64Array (NaN =
 * empty, so a probe reads nothing else) and [prev, next] entry indices in an Int32Array. Deletion shifts
 * later entries of the probe run back (no tombstones) and re-points their list neighbours. Nothing is
 * allocated per operation once the table has grown to the capacity.
 */

export class PrefixLru {
  readonly capacityBlocks: number;
  /** Block id per entry; NaN marks an empty entry. */
  private keys: Float64Array;
  /** [prev, next] entry indices per entry, -1 at the ends of the recency list. */
  private links: Int32Array;
  private mask: number;
  private shift: number;
  private head = -1;
  private tail = -1;
  private n = 0;
  /** Entries found by the last match(), so that touching them needs no second lookup. */
  private found = new Int32Array(64);
  /** Blocks evicted so far. */
  evictions = 0;

  constructor(capacityBlocks: number) {
    if (!(capacityBlocks >= 0))
      throw new RangeError(`PrefixLru: capacity must be >= 0, got ${capacityBlocks}`);
    this.capacityBlocks = Math.floor(capacityBlocks);
    let bits = 4;
    while (1 << bits < 2 * Math.min(this.capacityBlocks, 1024)) bits++;
    this.keys = new Float64Array(1 << bits).fill(Number.NaN);
    this.links = new Int32Array(2 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  get size(): number {
    return this.n;
  }

  has(block: number): boolean {
    return this.find(block) !== -1;
  }

  /** Block ids from most to least recently used (for tests and debugging). */
  order(): number[] {
    const out: number[] = [];
    for (let e = this.head; e !== -1; e = this.links[2 * e + 1]) out.push(this.keys[e]);
    return out;
  }

  /** Leading blocks of `blocks[0, len)` that are cached; `touch` marks them most recently used. */
  match(blocks: ArrayLike<number>, touch: boolean, len = blocks.length): number {
    if (this.found.length < len) this.found = new Int32Array(Math.max(len, this.found.length * 2));
    const found = this.found;
    let m = 0;
    while (m < len) {
      const e = this.find(blocks[m]);
      if (e === -1) break;
      found[m++] = e;
    }
    // Deepest first, so the leading block ends most recent.
    if (touch) for (let i = m - 1; i >= 0; i--) this.toFront(found[i]);
    return m;
  }

  /** Insert the first `n` blocks (default: all). */
  insert(blocks: ArrayLike<number>, n = blocks.length): void {
    const cap = this.capacityBlocks;
    if (cap === 0) return;
    const len = Math.min(n, cap);
    for (let i = len - 1; i >= 0; i--) {
      const b = blocks[i];
      const e = this.find(b);
      if (e !== -1) {
        this.toFront(e);
        continue;
      }
      if (this.n === cap) {
        const victim = this.tail;
        this.unlink(victim);
        this.remove(victim);
        this.evictions++;
      } else if ((this.n + 1) * 2 > this.mask + 1) this.grow();
      this.linkFront(this.place(b));
      this.n++;
    }
  }

  private slot(key: number): number {
    const h = (key | 0) ^ ((key / 4294967296) | 0);
    return Math.imul(h, 0x9e3779b1) >>> this.shift;
  }

  /** Entry index of `key`, or -1. */
  private find(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.slot(key);
    for (;;) {
      const k = keys[i];
      if (k === key) return i;
      if (Number.isNaN(k)) return -1; // empty
      i = (i + 1) & mask;
    }
  }

  /** Claim an empty entry for `key` (absent, room guaranteed); returns its index, unlinked. */
  private place(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.slot(key);
    while (!Number.isNaN(keys[i])) i = (i + 1) & mask;
    keys[i] = key;
    return i;
  }

  /** Free entry `e` (already unlinked), shifting later entries of its probe run back. */
  private remove(e: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let hole = e;
    let j = (e + 1) & mask;
    for (;;) {
      const k = keys[j];
      if (Number.isNaN(k)) break;
      const home = this.slot(k);
      // Entry j may move into the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!stays) {
        this.move(j, hole);
        hole = j;
      }
      j = (j + 1) & mask;
    }
    keys[hole] = Number.NaN;
    this.n--;
  }

  /** Move linked entry `from` to the free entry `to`, re-pointing its neighbours. */
  private move(from: number, to: number): void {
    const links = this.links;
    const p = links[2 * from];
    const nx = links[2 * from + 1];
    this.keys[to] = this.keys[from];
    links[2 * to] = p;
    links[2 * to + 1] = nx;
    if (p === -1) this.head = to;
    else links[2 * p + 1] = to;
    if (nx === -1) this.tail = to;
    else links[2 * nx] = to;
  }

  private toFront(e: number): void {
    if (e === this.head) return;
    this.unlink(e);
    this.linkFront(e);
  }

  private unlink(e: number): void {
    const links = this.links;
    const p = links[2 * e];
    const nx = links[2 * e + 1];
    if (p === -1) this.head = nx;
    else links[2 * p + 1] = nx;
    if (nx === -1) this.tail = p;
    else links[2 * nx] = p;
  }

  private linkFront(e: number): void {
    const links = this.links;
    links[2 * e] = -1;
    links[2 * e + 1] = this.head;
    if (this.head !== -1) links[2 * this.head] = e;
    this.head = e;
    if (this.tail === -1) this.tail = e;
  }

  /** Double the table, re-inserting entries from least to most recent so the order is kept. */
  private grow(): void {
    const oldKeys = this.keys;
    const oldLinks = this.links;
    const oldTail = this.tail;
    this.keys = new Float64Array(oldKeys.length * 2).fill(Number.NaN);
    this.links = new Int32Array(oldLinks.length * 2);
    this.mask = this.mask * 2 + 1;
    this.shift--;
    this.head = -1;
    this.tail = -1;
    for (let e = oldTail; e !== -1; e = oldLinks[2 * e]) this.linkFront(this.place(oldKeys[e]));
  }
}
