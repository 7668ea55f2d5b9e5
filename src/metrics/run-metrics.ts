/**
 * Everything one simulation run measures, in fixed-size structures: counters, latency histograms (global
 * and per model) and time-bucketed series. Memory grows with models and simulated time / interval, never
 * with the number of requests. The run writes it through RunRecorder; report/report.ts reads its fields.
 */
import type { Health } from '../core/types.js';
import { Histogram } from './histogram.js';
import type { RunRecorder } from './recorder.js';
import { CountSeries, SampleSeries } from './series.js';

/** Health as a timeline value: what `healthSeries` holds and the report's `timeline.health` shows. */
export const HEALTH_VALUE: Readonly<Record<Health, number>> = { healthy: 1, degraded: 0.5, unhealthy: 0 };

export interface ModelMetrics {
  /** Routing decisions that chose this model (attempts, retries included). */
  routed: number;
  /** Attempts that ended ok / in error or timeout / refused (queue full, rate limited, unavailable). */
  ok: number;
  failed: number;
  refused: number;
  /** Of the requests it completed, from the request's arrival (so retries elsewhere count). */
  ttft: Histogram;
  e2e: Histogram;
  /** Of its ok attempts: waiting for a slot. */
  queue: Histogram;
  /** Largest share of a quota window seen at a sample point. */
  quotaPeak: number;
  routedSeries: CountSeries;
  /** Slot-time in service (busySlotTime) at each bucket end, so in-service means cost nothing per request. */
  busyAt: SampleSeries;
  /** Time attempts spent queued, spread over the buckets it covered (added when the attempt ends). */
  queuedArea: CountSeries;
  quotaSeries: SampleSeries;
  healthSeries: SampleSeries;
  /** Ok attempts, and those with a cache hit, by the bucket the attempt was submitted in. */
  cacheLookups: CountSeries;
  cacheHits: CountSeries;
}

export class RunMetrics implements RunRecorder {
  /** Requests that arrived (within the horizon). */
  total = 0;
  completed = 0;
  failed = 0;
  rejected = 0;
  timedOut = 0;
  /** Requests retried at least once / that needed a fallback at least once. */
  retriedRequests = 0;
  fallbackRequests = 0;
  /** Retries (re-routes) and fallback decisions. */
  retries = 0;
  fallbackDecisions = 0;
  /** Sum and count of attempted_models over finished requests that were routed at least once. */
  attemptedSum = 0;
  attemptedCount = 0;

  /** Over all models: ttft, e2e and queue are merged from the per-model histograms at the end. */
  readonly tpot = new Histogram();

  readonly arrivals: CountSeries;
  readonly completedSeries: CountSeries;
  readonly errors: CountSeries;
  readonly rejections: CountSeries;
  readonly fallbacks: CountSeries;
  readonly retrySeries: CountSeries;
  readonly affinityEntries = new SampleSeries();
  readonly models: ModelMetrics[];
  /** Values on their way into histograms (Histogram.recordAt: no boxed double per call). */
  private readonly vals = new Float64Array(4);

  constructor(
    readonly modelIds: readonly string[],
    readonly interval_ms: number,
  ) {
    const iv = interval_ms;
    this.arrivals = new CountSeries(iv);
    this.completedSeries = new CountSeries(iv);
    this.errors = new CountSeries(iv);
    this.rejections = new CountSeries(iv);
    this.fallbacks = new CountSeries(iv);
    this.retrySeries = new CountSeries(iv);
    this.models = modelIds.map(() => ({
      routed: 0,
      ok: 0,
      failed: 0,
      refused: 0,
      ttft: new Histogram(),
      e2e: new Histogram(),
      queue: new Histogram(),
      quotaPeak: 0,
      routedSeries: new CountSeries(iv),
      busyAt: new SampleSeries(),
      queuedArea: new CountSeries(iv),
      quotaSeries: new SampleSeries(),
      healthSeries: new SampleSeries(),
      cacheLookups: new CountSeries(iv),
      cacheHits: new CountSeries(iv),
    }));
  }

  arrived(b: number): void {
    this.total++;
    this.arrivals.addAt(b);
  }

  routed(i: number, b: number): void {
    const mm = this.models[i];
    mm.routed++;
    mm.routedSeries.addAt(b);
  }

  fallback(b: number, first: boolean): void {
    this.fallbackDecisions++;
    this.fallbacks.addAt(b);
    if (first) this.fallbackRequests++;
  }

  refused(i: number): void {
    this.models[i].refused++;
  }

  attemptOk(
    i: number,
    e2e_ms: number,
    ttft_ms: number,
    queue_ms: number,
    start: number,
    b: number,
    hit: boolean,
  ): void {
    const mm = this.models[i];
    mm.ok++;
    const v = this.vals;
    v[0] = e2e_ms;
    v[1] = ttft_ms;
    v[2] = queue_ms;
    mm.e2e.recordAt(v, 0);
    mm.ttft.recordAt(v, 1);
    mm.queue.recordAt(v, 2);
    mm.cacheLookups.addAt(b);
    if (hit) mm.cacheHits.addAt(b);
    if (queue_ms > 0) mm.queuedArea.addSpan(start, start + queue_ms);
  }

  recordTpot(ms: number): void {
    const v = this.vals;
    v[3] = ms;
    this.tpot.recordAt(v, 3);
  }

  attemptFailed(i: number, b: number, start: number, queue_ms: number): void {
    const mm = this.models[i];
    mm.failed++;
    this.errors.addAt(b);
    if (queue_ms > 0) mm.queuedArea.addSpan(start, start + queue_ms);
  }

  retried(b: number, first: boolean): void {
    this.retries++;
    this.retrySeries.addAt(b);
    if (first) this.retriedRequests++;
  }

  attempted(attempted: number): void {
    this.attemptedSum += attempted;
    this.attemptedCount++;
  }

  requestCompleted(b: number): void {
    this.completed++;
    this.completedSeries.addAt(b);
  }

  requestFailed(timedOut: boolean): void {
    this.failed++;
    if (timedOut) this.timedOut++;
  }

  requestRejected(b: number): void {
    this.rejected++;
    this.rejections.addAt(b);
  }

  sampleModel(i: number, b: number, busySlotTime: number, quotaUsed: number, health: Health): void {
    const mm = this.models[i];
    mm.busyAt.sample(b, busySlotTime);
    if (quotaUsed > mm.quotaPeak) mm.quotaPeak = quotaUsed;
    mm.quotaSeries.sample(b, quotaUsed);
    mm.healthSeries.sample(b, HEALTH_VALUE[health]);
  }

  sampleAffinity(b: number, entries: number): void {
    this.affinityEntries.sample(b, entries);
  }

  /** A histogram over all models, merged from one per-model histogram each. */
  merged(which: 'ttft' | 'e2e' | 'queue'): Histogram {
    const h = new Histogram();
    for (const mm of this.models) h.merge(mm[which]);
    return h;
  }
}
