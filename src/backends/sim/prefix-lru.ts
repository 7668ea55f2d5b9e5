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
 * hashing). Deletion shifts later entries of the probe run back (no tombstones) and re-points their list
 * neighbours. Nothing is allocated per operation once the table has grown to the capacity.
 *
 * Two shortcuts give the same results with less work:
 * - Runs of blocks that are already list neighbours (a shared prefix, matched or inserted again) are
 *   followed through the links, not the table, and moved to the front in one splice (the same order as
 *   touching them one by one, deepest first).
 * - A prefix as a unit: blocks above every key ever placed are absent without a probe, and an insert
 *   whose deepest blocks are such fresh CONSECUTIVE integer ids (a prompt's own blocks, as the synthetic
 *   generator numbers them) links them as one range node [lo, hi] (lo nearest the front), not one entry
 *   each. Eviction takes hi off (the order they would have left in). A range never moves: the first
 *   lookup that finds a block in it turns it into entries at its place. So ranges stay in the list in
 *   the order they were made, which is their ids' order; they live in a ring (oldest first), searched
 *   by bisection. Range node r is entry tsize + r of the same buffer, beyond the table; lo is its key.
 */

/** log2 of the ids per group of adjacent home entries (4 × 16 bytes: one cache line). */
const GROUP_BITS = 2;
const GROUP_MASK = (1 << GROUP_BITS) - 1;
/** The table holds at most 1 / LOAD_INV of its entries; at most MAX_RANGES ranges (then plain entries). */
const LOAD_INV = 4;
const MAX_RANGES = 4096;

export class PrefixLru {
  readonly capacityBlocks: number;
  /** Entry e's key is keys[2e] (NaN marks an empty table entry)... */
  private keys: Float64Array;
  /** ...and its [prev, next] entry indices, -1 at the ends of the recency list, are links[4e + 2, 4e + 3]. */
  private links: Int32Array;
  /** Table entries [0, tsize); range nodes from tsize on. */
  private tsize: number;
  private mask: number;
  private shift: number;
  private head = -1;
  private tail = -1;
  private n = 0; // blocks held (table entries + blocks in ranges)
  private used = 0; // table entries in use
  /** No key above this was ever placed (-Infinity while empty): a larger block is absent. */
  private maxKey = Number.NEGATIVE_INFINITY;
  /** Ring of range nodes, oldest (lowest ids) at ringHead; range r holds ids keys[2(tsize + r)] .. hi[r]. */
  private readonly ringCap: number;
  private hi: Float64Array;
  private ringHead = 0;
  private ringLen = 0;
  private rangesChanged = false; // a range became entries during a lookup (see match)
  private found = new Int32Array(64); // entries found by the last match(), touched without a lookup
  evictions = 0;

  constructor(capacityBlocks: number) {
    if (!(capacityBlocks >= 0))
      throw new RangeError(`PrefixLru: capacity must be >= 0, got ${capacityBlocks}`);
    this.capacityBlocks = Math.floor(capacityBlocks);
    this.ringCap = Math.min(this.capacityBlocks >> 1, MAX_RANGES);
    this.hi = new Float64Array(this.ringCap);
    let bits = 4;
    while (1 << bits < LOAD_INV * Math.min(this.capacityBlocks, 1024)) bits++;
    this.tsize = 1 << bits;
    this.keys = emptyTable(this.tsize, this.ringCap);
    this.links = new Int32Array(this.keys.buffer);
    this.mask = this.tsize - 1;
    this.shift = 32 - bits;
  }

  get size(): number {
    return this.n;
  }

  has(block: number): boolean {
    return this.locate(block) !== -1; // (a range holding it becomes entries)
  }

  /** Block ids from most to least recently used (for tests and debugging). */
  order(): number[] {
    const out: number[] = [];
    for (let e = this.head; e !== -1; e = this.links[4 * e + 3]) {
      if (e < this.tsize) out.push(this.keys[2 * e]);
      else for (let b = this.keys[2 * e]; b <= this.hi[e - this.tsize]; b++) out.push(b);
    }
    return out;
  }

  /** Leading blocks of `blocks[0, len)` that are cached; `touch` marks them most recently used. */
  match(blocks: ArrayLike<number>, touch: boolean, len = blocks.length): number {
    if (this.found.length < len) this.found = new Int32Array(Math.max(len, this.found.length * 2));
    const found = this.found;
    let m = 0;
    // Every found entry after the first is the list successor of the one before (one run).
    let run = true;
    let e = -1;
    while (m < len) {
      const b = blocks[m];
      const nx = e === -1 ? -1 : this.links[4 * e + 3];
      if (nx !== -1 && nx < this.tsize && this.keys[2 * nx] === b) e = nx;
      else {
        this.rangesChanged = false;
        e = this.locate(b);
        if (this.rangesChanged) {
          // A range became entries (maybe growing the table): start again, nothing was touched yet.
          m = 0;
          run = true;
          e = -1;
          continue;
        }
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
    let i = Math.min(n, cap) - 1;
    // The deepest blocks, while consecutive integers above every key placed before: one range node.
    const top = blocks[i];
    if (i >= 1 && top > this.maxKey && Number.isSafeInteger(top) && this.ringLen < this.ringCap) {
      let lo = i;
      while (lo > 0 && blocks[lo - 1] === blocks[lo] - 1 && blocks[lo - 1] > this.maxKey) lo--;
      if (lo < i) {
        this.addRange(blocks[lo], top, i - lo + 1);
        i = lo - 1;
      }
    }
    // Absent without a probe while, from the deepest on, increasing and above every key placed before.
    const bound = this.maxKey;
    let above = true;
    const last = i;
    for (; i >= 0; i--) {
      const b = blocks[i];
      let e = -1;
      if (!(above && b > bound && (i === last || b < blocks[i + 1]))) {
        above = false;
        e = this.locate(b);
      }
      if (e !== -1) {
        // Blocks i − 1, i − 2, ... that precede it in the list are present too: touching them one by one
        // (no eviction happens between) leaves the run at the front in the order it has.
        let first = e;
        for (;;) {
          const pv = this.links[4 * first + 2];
          if (i === 0 || pv === -1 || pv >= this.tsize || this.keys[2 * pv] !== blocks[i - 1]) break;
          first = pv;
          i--;
        }
        this.spliceFront(first, e);
        continue;
      }
      if (this.n === cap) this.evict();
      if ((this.used + 1) * LOAD_INV > this.tsize) this.grow();
      this.linkFront(this.place(b));
      this.used++;
      this.n++;
    }
  }

  /** Add fresh ids lo..hi (count of them, all absent) at the front as one range node. */
  private addRange(lo: number, hi: number, count: number): void {
    // The evictions the blocks one by one would cause; never the new blocks (count <= capacity).
    for (let k = this.n + count - this.capacityBlocks; k > 0; k--) this.evict();
    const r = (this.ringHead + this.ringLen) % this.ringCap;
    this.ringLen++;
    const e = this.tsize + r;
    this.keys[2 * e] = lo;
    this.hi[r] = hi;
    this.linkFront(e);
    this.n += count;
    this.maxKey = hi;
  }

  /** Drop the least recently used block. */
  private evict(): void {
    const t = this.tail;
    this.evictions++;
    this.n--;
    if (t < this.tsize) {
      this.unlink(t);
      this.remove(t);
      return;
    }
    const r = t - this.tsize;
    if (--this.hi[r] < this.keys[2 * t]) {
      this.unlink(t);
      this.dropOldRanges();
    }
  }

  /** Advance the ring past ranges that are empty (evicted or turned into entries). */
  private dropOldRanges(): void {
    while (this.ringLen > 0 && this.hi[this.ringHead] < this.keys[2 * (this.tsize + this.ringHead)]) {
      this.ringHead = (this.ringHead + 1) % this.ringCap;
      this.ringLen--;
    }
  }

  /** The entry of `key` (turning its range into entries first), or -1. */
  private locate(key: number): number {
    if (key > this.maxKey) return -1;
    const e = this.find(key);
    if (e !== -1 || this.ringLen === 0) return e;
    // Bisect the ring for the last range with lo <= key.
    const size = this.tsize;
    const cap = this.ringCap;
    const h = this.ringHead;
    if (!(key >= this.keys[2 * (size + h)]) || !Number.isInteger(key)) return -1;
    let a = 0;
    let z = this.ringLen - 1;
    while (a < z) {
      const mid = (a + z + 1) >> 1;
      if (this.keys[2 * (size + ((h + mid) % cap))] <= key) a = mid;
      else z = mid - 1;
    }
    const r = (h + a) % cap;
    if (key > this.hi[r]) return -1;
    this.flatten(r);
    return this.find(key);
  }

  /** Turn range r into table entries lo..hi at its place in the list. */
  private flatten(r: number): void {
    const lo = this.keys[2 * (this.tsize + r)];
    const hi = this.hi[r];
    const count = hi - lo + 1;
    while ((this.used + count) * LOAD_INV > this.tsize) this.grow();
    const links = this.links;
    const node = this.tsize + r;
    let p = links[4 * node + 2];
    const nx = links[4 * node + 3];
    for (let b = lo; b <= hi; b++) {
      const e = this.place(b);
      links[4 * e + 2] = p;
      if (p === -1) this.head = e;
      else links[4 * p + 3] = e;
      p = e;
    }
    links[4 * p + 3] = nx;
    if (nx === -1) this.tail = p;
    else links[4 * nx + 2] = p;
    this.used += count;
    this.hi[r] = lo - 1;
    this.dropOldRanges();
    this.rangesChanged = true;
  }

  /** Home entry of `key`: its group of GROUP consecutive integer ids, hashed, then its place in the group. */
  private slot(key: number): number {
    const lo = key | 0;
    const hi = (key / 4294967296) | 0;
    const g = ((lo >>> GROUP_BITS) | (hi << (32 - GROUP_BITS))) ^ hi;
    return ((Math.imul(g, 0x9e3779b1) >>> (this.shift + GROUP_BITS)) << GROUP_BITS) | (lo & GROUP_MASK);
  }

  /** Table entry of `key`, or -1. */
  private find(key: number): number {
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

  /** Free table entry `e` (already unlinked), shifting later entries of its probe run back. */
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
    this.used--;
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
    if (e !== this.head) this.spliceFront(e, e);
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

  /** Double the table, re-linking nodes from least to most recent so the order is kept. */
  private grow(): void {
    const oldKeys = this.keys;
    const oldLinks = this.links;
    const oldSize = this.tsize;
    const oldTail = this.tail;
    this.tsize = 2 * oldSize;
    this.keys = emptyTable(this.tsize, this.ringCap);
    this.links = new Int32Array(this.keys.buffer);
    this.mask = this.tsize - 1;
    this.shift--;
    this.head = -1;
    this.tail = -1;
    for (let e = oldTail; e !== -1; e = oldLinks[4 * e + 2]) {
      if (e < oldSize) this.linkFront(this.place(oldKeys[2 * e]));
      else this.linkFront(this.tsize + (e - oldSize));
    }
    // Every ring slot keeps its lo (a dead one too: the bisection needs them in order).
    for (let r = 0; r < this.ringCap; r++) this.keys[2 * (this.tsize + r)] = oldKeys[2 * (oldSize + r)];
  }
}

/** The keys view of `entries` empty table entries (key NaN) followed by `ranges` range nodes. */
function emptyTable(entries: number, ranges: number): Float64Array {
  const keys = new Float64Array(2 * (entries + ranges));
  for (let e = 0; e < entries; e++) keys[2 * e] = Number.NaN;
  return keys;
}
