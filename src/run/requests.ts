/**
 * Per-request state of the requests in flight, as struct-of-arrays typed arrays with a free list. A slot is
 * taken when a request arrives and given back when it is finished (completed, failed or rejected), so
 * memory grows with the largest number of requests in flight at once, never with the number replayed.
 * Each slot owns one pooled RouteRequest, reset (not reallocated) when the slot is reused; the router's
 * `attempts` and `tried` live on it between retries.
 *
 * Engine events about a request (retry, timeouts) carry tag(slot), which changes when the slot is released:
 * an event for a request that has finished since is recognised (valid() false) and ignored.
 */

import { FreeList } from '../engine/free-list.js';
import { grown } from '../engine/grow.js';
import type { RouteRequest } from '../router/types.js';

/** Flags per request. */
export const F_RETRIED = 1;
export const F_FALLBACK = 2;

const TAG_SPAN = 2 ** 24;
const GEN_WRAP = 2 ** 28;

export class RequestTable {
  /** Virtual time the request arrived. */
  arrival: Float64Array;
  /** Virtual time its current attempt was submitted. */
  attemptStart: Float64Array;
  prompt: Float64Array;
  output: Float64Array;
  /** Model of the current attempt (-1 before routing / while waiting to retry). */
  model: Int32Array;
  /** attempted_models of the latest decision. */
  attempted: Int32Array;
  /** The router replica that routes the request and its retries. */
  replica: Int32Array;
  flags: Uint8Array;
  /** Load stage the request was sent in (-1: traffic without stages). */
  stage: Int32Array;
  /** Fields that are references (kept until the slot is released; the router reads them via `req`). */
  blockTokens: Float64Array;
  /** When the current attempt times out (router.request_timeout; Infinity: never). */
  deadline: Float64Array;
  /** Generation of each slot (see tag()). */
  gen: Float64Array;
  req: RouteRequest[];
  private readonly slots: FreeList;

  constructor(capacity = 1024) {
    this.slots = new FreeList(capacity);
    this.arrival = new Float64Array(capacity);
    this.attemptStart = new Float64Array(capacity);
    this.prompt = new Float64Array(capacity);
    this.output = new Float64Array(capacity);
    this.model = new Int32Array(capacity);
    this.attempted = new Int32Array(capacity);
    this.replica = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.stage = new Int32Array(capacity);
    this.blockTokens = new Float64Array(capacity);
    this.deadline = new Float64Array(capacity);
    this.gen = new Float64Array(capacity);
    this.req = [];
    for (let i = 0; i < capacity; i++) this.req.push(newRequest());
  }

  /** Requests held now (in flight, queued in a backend, or waiting to retry). */
  get used(): number {
    return this.slots.used;
  }

  /** The tag of slot i's request, for its engine events. */
  tag(i: number): number {
    return this.gen[i] * TAG_SPAN + i;
  }

  /** The slot a tag names. */
  slotOf(tag: number): number {
    return tag % TAG_SPAN;
  }

  /** True while the request the tag was made for still holds its slot. */
  valid(tag: number): boolean {
    const i = tag % TAG_SPAN;
    return this.gen[i] === (tag - i) / TAG_SPAN;
  }

  /** Take a slot; its RouteRequest is reset to a fresh request (attempts 0, nothing tried). */
  alloc(): number {
    let i = this.slots.take();
    if (i < 0) {
      this.grow();
      i = this.slots.take();
    }
    const r = this.req[i];
    r.attempts = 0;
    // Left undefined until the router records a failed attempt: most requests never need the array.
    r.tried = undefined;
    this.flags[i] = 0;
    this.model[i] = -1;
    this.attempted[i] = 0;
    return i;
  }

  /** Give a slot back; references are dropped so finished requests keep nothing alive. */
  release(i: number): void {
    const r = this.req[i];
    r.session_id = undefined;
    r.preferred_model = undefined;
    r.capabilities = undefined;
    r.tags = undefined;
    r.prefix_blocks = undefined;
    r.priority = undefined;
    // (g + 1) mod GEN_WRAP without a floating-point modulo (gen is a double).
    const g = this.gen[i] + 1;
    this.gen[i] = g === GEN_WRAP ? 0 : g;
    this.slots.give(i);
  }

  private grow(): void {
    const old = this.slots.capacity;
    const cap = this.slots.grow();
    this.arrival = grown(this.arrival, cap);
    this.attemptStart = grown(this.attemptStart, cap);
    this.prompt = grown(this.prompt, cap);
    this.output = grown(this.output, cap);
    this.blockTokens = grown(this.blockTokens, cap);
    this.model = grown(this.model, cap);
    this.attempted = grown(this.attempted, cap);
    this.replica = grown(this.replica, cap);
    this.flags = grown(this.flags, cap);
    this.stage = grown(this.stage, cap);
    this.deadline = grown(this.deadline, cap);
    this.gen = grown(this.gen, cap);
    for (let i = old; i < cap; i++) this.req.push(newRequest());
  }
}

/** One RouteRequest with every field present, so all pooled objects share one hidden class. */
function newRequest(): RouteRequest {
  return {
    estimated_tokens: 0,
    session_id: undefined,
    preferred_model: undefined,
    capabilities: undefined,
    tags: undefined,
    prefix_blocks: undefined,
    priority: undefined,
    attempts: 0,
    tried: undefined,
  };
}
