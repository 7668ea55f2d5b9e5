/**
 * RunRecorder: every measurement a run writes, as one call per thing that happened. The run's request flow
 * and sampler call it; RunMetrics implements it (and is what the report reads). `b` is always the timeline
 * bucket the thing belongs to; times are virtual ms. Implementations must not allocate per call: these are
 * on the per-event path.
 */
import type { Health } from '../core/types.js';

export interface RunRecorder {
  /** A request arrived. */
  arrived(b: number): void;
  /** A routing decision chose model i. */
  routed(i: number, b: number): void;
  /** A routing decision needed a fallback; `first`: the request's first one. */
  fallback(b: number, first: boolean): void;
  /** Model i refused an attempt at submit (queue full, rate limited, unavailable). */
  refused(i: number): void;
  /**
   * Model i ended an attempt ok. `e2e_ms` and `ttft_ms` count from the request's arrival; the attempt
   * was submitted at `start` in bucket `b`, waited `queue_ms` for a slot and `hit` says a cached token served it.
   */
  attemptOk(
    i: number,
    e2e_ms: number,
    ttft_ms: number,
    queue_ms: number,
    start: number,
    b: number,
    hit: boolean,
  ): void;
  /** Time per output token of an ok attempt with more than one output token. */
  recordTpot(ms: number): void;
  /** Model i ended an attempt in error or timeout in bucket `b`, after waiting `queue_ms` (0: did not queue). */
  attemptFailed(i: number, b: number, start: number, queue_ms: number): void;
  /** A request is retried; `first`: its first retry. */
  retried(b: number, first: boolean): void;
  /** A finished request had been routed, its last decision over `attempted` models. */
  attempted(attempted: number): void;
  /** A request finished: completed / failed (`timedOut`: its last attempt timed out) / rejected. */
  requestCompleted(b: number): void;
  requestFailed(timedOut: boolean): void;
  requestRejected(b: number): void;
  /** End-of-bucket values of model i: busy slot-time so far, quota share used, health as the router saw it. */
  sampleModel(i: number, b: number, busySlotTime: number, quotaUsed: number, health: Health): void;
  /** End-of-bucket affinity table size. */
  sampleAffinity(b: number, entries: number): void;
}
