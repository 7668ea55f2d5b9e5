/**
 * RunRecorder: every measurement a run writes, as one call per thing that happened. The run's request flow
 * and sampler call it; RunMetrics implements it (and is what the report reads). Times are virtual ms and
 * the recorder owns the bucketing (its bucket width can coarsen during a run, so a bucket index computed
 * earlier would go stale); only the end-of-bucket samples name a bucket `b`, of the width `interval_ms`
 * has when they are taken. Implementations must not allocate per call: these are on the per-event path.
 */
import type { Health } from '../core/types.js';

/**
 * An ok attempt, as the request flow hands it to attemptOk: one object the caller overwrites per call, so
 * that no double is passed as an argument (a double argument to a call V8 does not inline is boxed: 16
 * bytes allocated per value per call).
 */
export interface OkAttempt {
  model: number;
  /** From the request's arrival (a retry's delay and failed attempts count). */
  e2e_ms: number;
  ttft_ms: number;
  /** Time the attempt waited for a slot. */
  queue_ms: number;
  /** When the attempt was submitted (its cache lookup counts there). */
  start: number;
  /** A cached token served it. */
  hit: boolean;
  /** Time per output token; NaN with one output token or none (not recorded). */
  tpot_ms: number;
}

export interface RunRecorder {
  /** The timeline's bucket width now (ms); samples are taken at its bucket ends. */
  readonly interval_ms: number;
  /** False when cacheTokens and requestFinished record nothing (no drills): callers may skip them. */
  readonly perRequest: boolean;
  /** A request arrived at `t`. */
  arrived(t: number): void;
  /** A routing decision at `t` chose model i. */
  routed(i: number, t: number): void;
  /** A routing decision at `t` needed a fallback; `first`: the request's first one. */
  fallback(t: number, first: boolean): void;
  /** Model i refused an attempt at submit (queue full, rate limited, unavailable). */
  refused(i: number): void;
  /** Model `a.model` ended an attempt ok (read at once: the caller reuses `a`). */
  attemptOk(a: Readonly<OkAttempt>): void;
  /** The ok attempt submitted at `start` looked up `prompt` prompt tokens, `cached` of them served from cache. */
  cacheTokens(start: number, prompt: number, cached: number): void;
  /** Model i ended at `t` an attempt submitted at `start` in error or timeout, after waiting `queue_ms` (0: did not queue). */
  attemptFailed(i: number, t: number, start: number, queue_ms: number): void;
  /** A request is retried at `t`; `first`: its first retry. */
  retried(t: number, first: boolean): void;
  /** A finished request had been routed, its last decision over `attempted` models. */
  attempted(attempted: number): void;
  /** A request finished at `t`: completed / failed (`timedOut`: its last attempt timed out) / rejected. */
  requestCompleted(t: number): void;
  requestFailed(timedOut: boolean): void;
  requestRejected(t: number): void;
  /**
   * A request that arrived at `arrival` finished at `t`, completed (`ok`) or not (failed or rejected); called
   * once per request, after the call above that said how. What drill scores count requests by.
   */
  requestFinished(arrival: number, t: number, ok: boolean): void;
  /** The health the router shows for model i became `h` at `t` (probes, ejections; the initial one at 0). */
  healthShown(i: number, t: number, h: Health): void;
  /**
   * Bucket `b` of the current width as the index samples go to, coarsening first when it lies past the cap.
   * Call it once per sample point, before sampleModel and sampleAffinity.
   */
  sampleBucket(b: number): number;
  /**
   * End-of-bucket values of model i in bucket `b`, an index sampleBucket gave: busy slot-time so far, quota share
   * used, health as the router saw it.
   */
  sampleModel(i: number, b: number, busySlotTime: number, quotaUsed: number, health: Health): void;
  /** End-of-bucket affinity table size. */
  sampleAffinity(b: number, entries: number): void;
  /** A request of load stage `stage` arrived (traffic in stages only). */
  stageArrived(stage: number): void;
  /**
   * A request of load stage `stage` finished: ok with its e2e, ttft and time per output token (NaN when it
   * had one output token), failed, or rejected.
   */
  stageFinished(
    stage: number,
    kind: 'ok' | 'failed' | 'rejected',
    e2e_ms: number,
    ttft_ms: number,
    tpot_ms: number,
  ): void;
}
