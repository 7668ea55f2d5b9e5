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
 * Built for the per-attempt hot path, where the cost is random memory access: one open-addressing hash
 * table (linear probing, load <= 1/4) whose entries are also the nodes of the recency list. An entry is
 * 16 bytes of one buffer, [key: float64 (NaN = empty), prev: int32, next: int32] seen through two
 * typed-array views, so finding a block and unlinking it touch one cache line, not two. The home entry
 * keeps each aligned group of 4 consecutive integer ids in one 64-byte line (groups spread by Fibonacci
 * hashing): a prompt's fresh blocks have consecutive ids, so inserting them, and evicting them later
 * (they leave the recency list in the same order), touches a quarter of the lines. Deletion shifts later
 * entries of the probe run back (no tombstones) and re-points their list neighbours. Nothing is
 * allocated per operation once the table has grown to the capacity.
 *
 * Runs of blocks that are already neighbours in the recency list (a shared prefix, matched or inserted
 * again) are followed through the links instead of the table, and moved to the front in one splice: the
 * same order as touching them one by one, deepest first.
 */

/** log2 of the ids per group of adjacent home entries (4 × 16 bytes: one cache line). */
const GROUP_BITS = 2;
const GROUP_MASK = (1 << GROUP_BITS) - 1;
/** The table holds at most 1 / LOAD_INV of its entries. */
const LOAD_INV = 4;

export class PrefixLru {
  readonly capacityBlocks: number;
  /** Entry e's key is keys[2e] (NaN marks an empty entry)... */
  private keys: Float64Array;
  /** ...and its [prev, next] entry indices, -1 at the ends of the recency list, are links[4e + 2, 4e + 3]. */
  private links: Int32Array;
  private mask: number;
  private shift: number;
  private head = -1;
  private tail = -1;
  private n = 0;
  /**
   * No key above this was ever placed (-Infinity while empty): a larger block is absent without a probe
   * (fresh blocks usually have ids above every earlier one).
   */
  private maxKey = Number.NEGATIVE_INFINITY;
  /** Entries found by the last match(), so that touching them needs no second lookup. */
  private found = new Int32Array(64);
  /** Blocks evicted so far. */
  evictions = 0;

  constructor(capacityBlocks: number) {
    if (!(capacityBlocks >= 0))
      throw new RangeError(`PrefixLru: capacity must be >= 0, got ${capacityBlocks}`);
    this.capacityBlocks = Math.floor(capacityBlocks);
    let bits = 4;
    while (1 << bits < LOAD_INV * Math.min(this.capacityBlocks, 1024)) bits++;
    this.keys = emptyTable(1 << bits);
    this.links = new Int32Array(this.keys.buffer);
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
    for (let e = this.head; e !== -1; e = this.links[4 * e + 3]) out.push(this.keys[2 * e]);
    return out;
  }

  /** Leading blocks of `blocks[0, len)` that are cached; `touch` marks them most recently used. */
  match(blocks: ArrayLike<number>, touch: boolean, len = blocks.length): number {
    if (this.found.length < len) this.found = new Int32Array(Math.max(len, this.found.length * 2));
    const found = this.found;
    const keys = this.keys;
    const links = this.links;
    let m = 0;
    // Every found entry after the first is the list successor of the one before (one run).
    let run = true;
    let e = -1;
    while (m < len) {
      const b = blocks[m];
      const nx = e === -1 ? -1 : links[4 * e + 3];
      if (nx !== -1 && keys[2 * nx] === b) e = nx;
      else {
        e = this.find(b);
        if (e === -1) break;
        if (m > 0) run = false;
      }
      found[m++] = e;
    }
    if (!touch || m === 0) return m;
    // Deepest first, so the leading block ends most recent.
    if (run) this.spliceFront(found[0], found[m - 1]);
    else for (let i = m - 1; i >= 0; i--) this.toFront(found[i]);
    return m;
  }

  /** Insert the first `n` blocks (default: all). */
  insert(blocks: ArrayLike<number>, n = blocks.length): void {
    const cap = this.capacityBlocks;
    if (cap === 0) return;
    const len = Math.min(n, cap);
    const keys = this.keys;
    const links = this.links;
    // While the blocks from the deepest on are increasing and above every key placed before this call,
    // each is absent: no probe (what the synthetic generator's fresh ids look like).
    const bound = this.maxKey;
    let above = true;
    for (let i = len - 1; i >= 0; i--) {
      const b = blocks[i];
      let e = -1;
      if (!(above && b > bound && (i === len - 1 || b < blocks[i + 1]))) {
        above = false;
        e = this.find(b);
      }
      if (e !== -1) {
        // Blocks i − 1, i − 2, ... that precede it in the list are present too: touching them one by one
        // (no eviction happens between) leaves the run at the front in the order it has.
        let first = e;
        for (;;) {
          const pv = links[4 * first + 2];
          if (i === 0 || pv === -1 || keys[2 * pv] !== blocks[i - 1]) break;
          first = pv;
          i--;
        }
        this.spliceFront(first, e);
        continue;
      }
      if (this.n === cap) {
        const victim = this.tail;
        this.unlink(victim);
        this.remove(victim);
        this.evictions++;
      } else if ((this.n + 1) * LOAD_INV > this.mask + 1) this.grow();
      this.linkFront(this.place(b));
      this.n++;
    }
  }

  /** Home entry of `key`: its group of GROUP consecutive integer ids, hashed, then its place in the group. */
  private slot(key: number): number {
    const lo = key | 0;
    const hi = (key / 4294967296) | 0;
    const g = ((lo >>> GROUP_BITS) | (hi << (32 - GROUP_BITS))) ^ hi;
    return ((Math.imul(g, 0x9e3779b1) >>> (this.shift + GROUP_BITS)) << GROUP_BITS) | (lo & GROUP_MASK);
  }

  /** Entry index of `key`, or -1. */
  private find(key: number): number {
    if (key > this.maxKey) return -1;
    const keys = this.keys;
    const mask = this.mask;
    let i = this.slot(key);
    for (;;) {
      const k = keys[2 * i];
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
    while (!Number.isNaN(keys[2 * i])) i = (i + 1) & mask;
    keys[2 * i] = key;
    if (key > this.maxKey) this.maxKey = key;
    return i;
  }

  /** Free entry `e` (already unlinked), shifting later entries of its probe run back. */
  private remove(e: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let hole = e;
    let j = (e + 1) & mask;
    for (;;) {
      const k = keys[2 * j];
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
    keys[2 * hole] = Number.NaN;
    this.n--;
  }

  /** Move linked entry `from` to the free entry `to`, re-pointing its neighbours. */
  private move(from: number, to: number): void {
    const links = this.links;
    const p = links[4 * from + 2];
    const nx = links[4 * from + 3];
    this.keys[2 * to] = this.keys[2 * from];
    links[4 * to + 2] = p;
    links[4 * to + 3] = nx;
    if (p === -1) this.head = to;
    else links[4 * p + 3] = to;
    if (nx === -1) this.tail = to;
    else links[4 * nx + 2] = to;
  }

  /** Move the list run first → ... → last (in that order) to the front. */
  private spliceFront(first: number, last: number): void {
    if (first === this.head) return;
    const links = this.links;
    const p = links[4 * first + 2];
    const nx = links[4 * last + 3];
    links[4 * p + 3] = nx; // p !== -1: first is not the head
    if (nx === -1) this.tail = p;
    else links[4 * nx + 2] = p;
    links[4 * first + 2] = -1;
    links[4 * last + 3] = this.head;
    links[4 * this.head + 2] = last;
    this.head = first;
  }

  private toFront(e: number): void {
    if (e === this.head) return;
    this.unlink(e);
    this.linkFront(e);
  }

  private unlink(e: number): void {
    const links = this.links;
    const p = links[4 * e + 2];
    const nx = links[4 * e + 3];
    if (p === -1) this.head = nx;
    else links[4 * p + 3] = nx;
    if (nx === -1) this.tail = p;
    else links[4 * nx + 2] = p;
  }

  private linkFront(e: number): void {
    const links = this.links;
    links[4 * e + 2] = -1;
    links[4 * e + 3] = this.head;
    if (this.head !== -1) links[4 * this.head + 2] = e;
    this.head = e;
    if (this.tail === -1) this.tail = e;
  }

  /** Double the table, re-inserting entries from least to most recent so the order is kept. */
  private grow(): void {
    const oldKeys = this.keys;
    const oldLinks = this.links;
    const oldTail = this.tail;
    this.keys = emptyTable(2 * (this.mask + 1));
    this.links = new Int32Array(this.keys.buffer);
    this.mask = this.mask * 2 + 1;
    this.shift--;
    this.head = -1;
    this.tail = -1;
    for (let e = oldTail; e !== -1; e = oldLinks[4 * e + 2]) this.linkFront(this.place(oldKeys[2 * e]));
  }
}

/** The keys view of a table of `entries` 16-byte entries, every key NaN (empty). */
function emptyTable(entries: number): Float64Array {
  const keys = new Float64Array(2 * entries);
  for (let e = 0; e < entries; e++) keys[2 * e] = Number.NaN;
  return keys;
}
