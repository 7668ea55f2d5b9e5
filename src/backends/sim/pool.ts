/**
 * Per-attempt state of one simulated model, as struct-of-arrays typed arrays with a free list: an accepted
 * attempt takes an index, its completion gives it back, and nothing is allocated per attempt once the
 * arrays have grown to the largest number of attempts held at once.
 */
import { FreeList } from '../../engine/free-list.js';
import { grown } from '../../engine/grow.js';

const EMPTY = new Float64Array(0);

/** An attempt's state in the pool. */
export const S_FREE = 0;
/** Accepted by an unhealthy model: its fast error is pending. */
export const S_FAST = 1;
export const S_QUEUED = 2;
export const S_RUNNING = 3;

/**
 * Engine events about an attempt carry tag(i) = gen × TAG_SPAN + i: an attempt's generation changes when
 * it ends, is cancelled or stalls, so an event scheduled before that is recognised as stale (valid() is
 * false) instead of acting on whatever holds the index now.
 */
const TAG_SPAN = 2 ** 24;
const GEN_WRAP = 2 ** 28;

export class AttemptPool {
  /** Driver's attempt id. */
  id: Float64Array;
  /** Virtual time the attempt was accepted. */
  arrive: Float64Array;
  /** Virtual time it got a slot (or joined the batch). */
  start: Float64Array;
  /** Virtual time of its first token. */
  firstAt: Float64Array;
  prompt: Float64Array;
  output: Float64Array;
  cached: Float64Array;
  /** Batching: the model's decode-step count at which this sequence emits its last token. */
  doneStep: Float64Array;
  /** Tokens per prefix block for this attempt (0 = use the cache's own). */
  blockTokens: Float64Array;
  /** 1 when this attempt was drawn to fail. */
  fail: Uint8Array;
  /** Batching: 0 while in prefill, 1 while decoding. */
  phase: Uint8Array;
  /**
   * A copy of the attempt's prefix blocks (prefix caches only): per-index buffers reused across attempts,
   * so the driver may reuse its arrays once submit() returns.
   */
  blocks: Float64Array[];
  nBlocks: Int32Array;
  /** S_FREE, S_FAST, S_QUEUED or S_RUNNING. */
  state: Uint8Array;
  /** Generation of each index (see TAG_SPAN). */
  gen: Float64Array;
  private readonly slots: FreeList;

  constructor(capacity = 256) {
    this.slots = new FreeList(capacity);
    this.id = new Float64Array(capacity);
    this.arrive = new Float64Array(capacity);
    this.start = new Float64Array(capacity);
    this.firstAt = new Float64Array(capacity);
    this.prompt = new Float64Array(capacity);
    this.output = new Float64Array(capacity);
    this.cached = new Float64Array(capacity);
    this.doneStep = new Float64Array(capacity);
    this.blockTokens = new Float64Array(capacity);
    this.fail = new Uint8Array(capacity);
    this.phase = new Uint8Array(capacity);
    this.blocks = Array.from({ length: capacity }, () => EMPTY);
    this.nBlocks = new Int32Array(capacity);
    this.state = new Uint8Array(capacity);
    this.gen = new Float64Array(capacity);
  }

  /** The index capacity (indices 0..capacity-1; those not S_FREE are held). */
  get capacity(): number {
    return this.slots.capacity;
  }

  /** The tag of attempt i's next event (see TAG_SPAN). */
  tag(i: number): number {
    return this.gen[i] * TAG_SPAN + i;
  }

  /** The index a tag names. */
  indexOf(tag: number): number {
    return tag % TAG_SPAN;
  }

  /** True when `tag` was made since the attempt at its index last changed generation. */
  valid(tag: number): boolean {
    const i = tag % TAG_SPAN;
    return this.state[i] !== S_FREE && this.gen[i] === (tag - i) / TAG_SPAN;
  }

  /** Make every event scheduled for attempt i so far stale. */
  bump(i: number): void {
    const g = this.gen[i] + 1;
    this.gen[i] = g === GEN_WRAP ? 0 : g;
  }

  /** The index holding driver attempt `id`, or -1 (a scan: for cancels and faults, not the hot path). */
  find(id: number): number {
    const n = this.slots.capacity;
    for (let i = 0; i < n; i++) if (this.state[i] !== S_FREE && this.id[i] === id) return i;
    return -1;
  }

  /** Attempts currently held. */
  get used(): number {
    return this.slots.used;
  }

  /** Take an attempt index (growing the columns when all are held). */
  alloc(): number {
    const i = this.slots.take();
    if (i >= 0) return i;
    this.grow();
    return this.slots.take();
  }

  /**
   * Give index i back. `settled`: the attempt ends in the handler of its only pending event, so nothing
   * about it is left to go stale and its generation stays: tags then remain small integers while no
   * attempt is cancelled, crashed or stalled, instead of growing into doubles that each dispatch boxes.
   */
  release(i: number, settled = false): void {
    this.state[i] = S_FREE;
    if (!settled) this.bump(i);
    this.slots.give(i);
  }

  /** Copy `src` as attempt i's prefix blocks (none when undefined). */
  setBlocks(i: number, src: ArrayLike<number> | undefined): void {
    const n = src === undefined ? 0 : src.length;
    let buf = this.blocks[i];
    if (buf.length < n) {
      buf = new Float64Array(Math.max(n, 2 * buf.length, 16));
      this.blocks[i] = buf;
    }
    // An element loop: TypedArray.set from a plain (often holey) array takes a slow generic path.
    for (let k = 0; k < n; k++) buf[k] = src![k];
    this.nBlocks[i] = n;
  }

  private grow(): void {
    const old = this.slots.capacity;
    const cap = this.slots.grow();
    this.id = grown(this.id, cap);
    this.arrive = grown(this.arrive, cap);
    this.start = grown(this.start, cap);
    this.firstAt = grown(this.firstAt, cap);
    this.prompt = grown(this.prompt, cap);
    this.output = grown(this.output, cap);
    this.cached = grown(this.cached, cap);
    this.doneStep = grown(this.doneStep, cap);
    this.blockTokens = grown(this.blockTokens, cap);
    this.fail = grown(this.fail, cap);
    this.phase = grown(this.phase, cap);
    for (let i = old; i < cap; i++) this.blocks.push(EMPTY);
    this.nBlocks = grown(this.nBlocks, cap);
    this.state = grown(this.state, cap);
    this.gen = grown(this.gen, cap);
  }
}
