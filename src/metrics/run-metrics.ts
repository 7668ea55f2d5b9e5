/**
 * Everything one simulation run measures, in fixed-size structures: counters, latency histograms (global
 * and per model) and time-bucketed series. Memory grows with models and simulated time / interval, never
 * with the number of requests. The driver writes it; report/report.ts reads it.
 */
import { Histogram } from './histogram.js';
import { CountSeries, SampleSeries } from './series.js';

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

export class RunMetrics {
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

  /** A histogram over all models, merged from one per-model histogram each. */
  merged(which: 'ttft' | 'e2e' | 'queue'): Histogram {
    const h = new Histogram();
    for (const mm of this.models) h.merge(mm[which]);
    return h;
  }
}
