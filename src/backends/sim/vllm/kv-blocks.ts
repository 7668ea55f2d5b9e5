/**
 * The paged KV cache of one vLLM server, counted in blocks of block_size tokens, with automatic prefix
 * caching. A sequence holds private blocks (a count: their content is its own) and, at its head, shared
 * prefix units: a unit is one block of the request's `prefix_blocks` (B = block_tokens tokens, an id
 * that names its content and everything before it), and the engine blocks it covers are the full blocks
 * within it, floor((u+1)·B / bs) − floor(u·B / bs) for unit u (only full blocks are cached, as in vLLM).
 *
 * - A unit is cached once a sequence has computed all of its tokens; it stays cached while any sequence
 *   holds it (ref > 0) and after, as a FREE cached unit, in least-recently-released order.
 * - Free blocks = total − blocks held. Allocation takes empty blocks first, then evicts free cached units,
 *   least recently released first (vLLM's free-block queue); it fails when free blocks do not suffice.
 * - A lookup matches the leading units of a request that are cached (held or free); holding a free one
 *   takes it off the free list.
 * Units live in typed arrays with a free list; the id -> unit table (unit-table.ts) grows with them. A
 * sequence holds units by their index (matchUnits, publish), so holding and letting go cost no map lookup.
 */
import { FreeList } from '../../../engine/free-list.js';
import { grown } from '../../../engine/grow.js';
import { UnitTable } from './unit-table.js';

export class KvBlocks {
  readonly total: number;
  /** Blocks not held by any sequence (empty, or holding a free cached unit). */
  free: number;
  /** Blocks of free cached units (a subset of free). */
  private cachedFree = 0;
  private readonly byId = new UnitTable();
  private readonly units = new FreeList(64);
  private unitId = new Float64Array(64);
  private ref = new Int32Array(64);
  private size = new Int32Array(64);
  private prev = new Int32Array(64);
  private next = new Int32Array(64);
  /** Least recently released free unit (evicted first), and the most recent. */
  private head = -1;
  private tail = -1;
  /** Units evicted so far. */
  evictions = 0;
  /** Most blocks held at once. */
  peakUsed = 0;

  constructor(totalBlocks: number) {
    if (!(totalBlocks >= 1)) throw new RangeError(`KvBlocks: need at least one block, got ${totalBlocks}`);
    this.total = totalBlocks;
    this.free = totalBlocks;
  }

  /** Empty everything (a crash): every block free, nothing cached. Counters stay. */
  reset(): void {
    this.byId.forEachValue((u) => this.units.give(u));
    this.byId.clear();
    this.free = this.total;
    this.cachedFree = 0;
    this.head = -1;
    this.tail = -1;
  }

  /** Blocks held by sequences. */
  get used(): number {
    return this.total - this.free;
  }

  /** Distinct units cached (held or free). */
  get cachedUnits(): number {
    return this.byId.size;
  }

  /** Leading entries of ids[0, n) that are cached now (no side effects). */
  match(ids: ArrayLike<number>, n: number): number {
    let k = 0;
    while (k < n && this.byId.get(ids[k]) >= 0) k++;
    return k;
  }

  /**
   * Leading entries of ids[0, n) that are cached now, their units' indices into `out` (no side effects;
   * an index names its unit until the unit is evicted, which a held one never is).
   */
  matchUnits(ids: ArrayLike<number>, n: number, out: Int32Array): number {
    const byId = this.byId;
    let k = 0;
    for (; k < n; k++) {
      const u = byId.get(ids[k]);
      if (u < 0) break;
      out[k] = u;
    }
    return k;
  }

  /** Hold cached unit `u` (an index matchUnits or publish gave, not evicted since); returns its blocks. */
  acquire(u: number): number {
    if (this.ref[u]++ === 0) {
      this.unlink(u);
      this.cachedFree -= this.size[u];
      this.free -= this.size[u];
      this.notePeak();
    }
    return this.size[u];
  }

  /** Let go of held unit `u`: at ref 0 it becomes a free cached unit, the most recently released. */
  release(u: number): void {
    if (--this.ref[u] === 0) {
      this.linkTail(u);
      this.cachedFree += this.size[u];
      this.free += this.size[u];
    }
  }

  /**
   * Turn `blocks` private blocks a sequence has just filled into cached unit `id`, held by it. When the
   * unit is cached already (another sequence computed it meanwhile), the sequence holds that one and its
   * own copy goes back to the free blocks. A unit shorter than a block covers 0 blocks and costs nothing.
   * Returns the unit's index (for release).
   */
  publish(id: number, blocks: number): number {
    const cached = this.byId.get(id);
    if (cached >= 0) {
      this.acquire(cached);
      this.free += blocks;
      return cached;
    }
    let u = this.units.take();
    if (u < 0) {
      const cap = this.units.grow();
      this.unitId = grown(this.unitId, cap);
      this.ref = grown(this.ref, cap);
      this.size = grown(this.size, cap);
      this.prev = grown(this.prev, cap);
      this.next = grown(this.next, cap);
      u = this.units.take();
    }
    this.byId.add(id, u);
    this.unitId[u] = id;
    this.ref[u] = 1;
    this.size[u] = blocks;
    return u;
  }

  /** Take `n` blocks for a sequence, evicting free cached units as needed; false (nothing taken) if short. */
  allocate(n: number): boolean {
    if (n <= 0) return true;
    if (n > this.free) return false;
    while (this.free - this.cachedFree < n) this.evict();
    this.free -= n;
    this.notePeak();
    return true;
  }

  /** Give back `n` private blocks. */
  freeBlocks(n: number): void {
    this.free += n;
  }

  private evict(): void {
    const u = this.head;
    this.unlink(u);
    this.cachedFree -= this.size[u];
    this.byId.delete(this.unitId[u]);
    this.units.give(u);
    this.evictions++;
  }

  private notePeak(): void {
    const used = this.total - this.free;
    if (used > this.peakUsed) this.peakUsed = used;
  }

  private unlink(u: number): void {
    const p = this.prev[u];
    const nx = this.next[u];
    if (p === -1) this.head = nx;
    else this.next[p] = nx;
    if (nx === -1) this.tail = p;
    else this.prev[nx] = p;
  }

  private linkTail(u: number): void {
    this.prev[u] = this.tail;
    this.next[u] = -1;
    if (this.tail !== -1) this.next[this.tail] = u;
    else this.head = u;
    this.tail = u;
  }
}
