/**
 * Everything one simulation run measures, in bounded structures: counters, latency histograms (global and
 * per model) and time-bucketed series on one Timebase. Memory grows linearly with models and is bounded in
 * simulated time (the timeline coarsens past its cap) and in requests. The run writes it through
 * RunRecorder (times in virtual ms: the recorder owns the bucketing); report/report.ts reads its fields.
 */

import { timelineBucketCap } from '../core/limits.js';
import type { Health } from '../core/types.js';
import { DrillSeries } from './drill-series.js';
import { Histogram } from './histogram.js';
import type { OkAttempt, RunRecorder } from './recorder.js';
import { CountSeries, SampleSeries } from './series.js';
import { StageTable } from './stage-metrics.js';
import { Timebase } from './timebase.js';

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
  readonly affinityEntries: SampleSeries;
  readonly models: ModelMetrics[];
  /** What drill scores need beyond the timeline; null unless the run was built with `drills`. */
  readonly drills: DrillSeries | null;
  /** Per load stage (empty unless the traffic has stages). */
  readonly stages = new StageTable();
  /** The timeline's bucket width, shared by every series (coarsens as the span grows). */
  readonly timebase: Timebase;
  /** Values on their way into histograms and spans (recordAt, addSpanOf: no boxed double per call). */
  private readonly vals = new Float64Array(6);

  /**
   * `interval_ms`: the timeline's starting bucket width; the cap is timelineBucketCap(models). `drills`:
   * also record what drill scores need (the scenario has fault events).
   */
  constructor(
    readonly modelIds: readonly string[],
    interval_ms: number,
    drills = false,
  ) {
    const tb = new Timebase(interval_ms, timelineBucketCap(modelIds.length));
    this.timebase = tb;
    this.affinityEntries = new SampleSeries(tb);
    this.arrivals = new CountSeries(tb);
    this.completedSeries = new CountSeries(tb);
    this.errors = new CountSeries(tb);
    this.rejections = new CountSeries(tb);
    this.fallbacks = new CountSeries(tb);
    this.retrySeries = new CountSeries(tb);
    this.models = modelIds.map(() => ({
      routed: 0,
      ok: 0,
      failed: 0,
      refused: 0,
      ttft: new Histogram(),
      e2e: new Histogram(),
      queue: new Histogram(),
      quotaPeak: 0,
      routedSeries: new CountSeries(tb),
      busyAt: new SampleSeries(tb),
      queuedArea: new CountSeries(tb),
      quotaSeries: new SampleSeries(tb),
      healthSeries: new SampleSeries(tb),
      cacheLookups: new CountSeries(tb),
      cacheHits: new CountSeries(tb),
    }));
    this.drills = drills ? new DrillSeries(tb, modelIds.length) : null;
  }

  /** The timeline's current bucket width (final once the run has ended). */
  get interval_ms(): number {
    return this.timebase.interval_ms;
  }

  arrived(t: number): void {
    this.total++;
    this.arrivals.add(t);
  }

  routed(i: number, t: number): void {
    const mm = this.models[i];
    mm.routed++;
    mm.routedSeries.add(t);
  }

  fallback(t: number, first: boolean): void {
    this.fallbackDecisions++;
    this.fallbacks.add(t);
    if (first) this.fallbackRequests++;
  }

  refused(i: number): void {
    this.models[i].refused++;
  }

  attemptOk(a: Readonly<OkAttempt>): void {
    const mm = this.models[a.model];
    mm.ok++;
    const v = this.vals;
    v[0] = a.e2e_ms;
    v[1] = a.ttft_ms;
    v[2] = a.queue_ms;
    v[3] = a.tpot_ms;
    mm.e2e.recordAt(v, 0);
    mm.ttft.recordAt(v, 1);
    mm.queue.recordAt(v, 2);
    const start = a.start;
    const b = this.timebase.bucketAt(start);
    mm.cacheLookups.addAt(b);
    if (a.hit) mm.cacheHits.addAt(b);
    const queue = v[2];
    if (queue > 0) {
      v[4] = start;
      v[5] = start + queue;
      mm.queuedArea.addSpanOf(v, 4);
    }
    // NaN (one output token) is not recorded.
    this.tpot.recordAt(v, 3);
  }

  cacheTokens(start: number, prompt: number, cached: number): void {
    this.drills?.cacheTokens(start, prompt, cached);
  }

  attemptFailed(i: number, t: number, start: number, queue_ms: number): void {
    const mm = this.models[i];
    mm.failed++;
    this.errors.add(t);
    if (queue_ms > 0) mm.queuedArea.addSpan(start, start + queue_ms);
  }

  retried(t: number, first: boolean): void {
    this.retries++;
    this.retrySeries.add(t);
    if (first) this.retriedRequests++;
  }

  attempted(attempted: number): void {
    this.attemptedSum += attempted;
    this.attemptedCount++;
  }

  requestCompleted(t: number): void {
    this.completed++;
    this.completedSeries.add(t);
  }

  requestFailed(timedOut: boolean): void {
    this.failed++;
    if (timedOut) this.timedOut++;
  }

  requestRejected(t: number): void {
    this.rejected++;
    this.rejections.add(t);
  }

  requestFinished(arrival: number, t: number, ok: boolean): void {
    this.drills?.requestFinished(arrival, t, ok);
  }

  healthShown(i: number, t: number, h: Health): void {
    this.drills?.healthShown(i, t, h);
  }

  sampleBucket(b: number): number {
    return this.timebase.fit(b);
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

  stageArrived(stage: number): void {
    this.stages.at(stage).sent++;
  }

  stageFinished(
    stage: number,
    kind: 'ok' | 'failed' | 'rejected',
    e2e_ms: number,
    ttft_ms: number,
    tpot_ms: number,
  ): void {
    const st = this.stages.at(stage);
    if (kind === 'failed') st.failed++;
    else if (kind === 'rejected') st.rejected++;
    else {
      st.completed++;
      st.e2e.record(e2e_ms);
      st.ttft.record(ttft_ms);
      if (!Number.isNaN(tpot_ms)) st.tpot.record(tpot_ms);
    }
  }

  get perRequest(): boolean {
    return this.drills !== null;
  }

  /** A histogram over all models, merged from one per-model histogram each. */
  merged(which: 'ttft' | 'e2e' | 'queue'): Histogram {
    const h = new Histogram();
    for (const mm of this.models) h.merge(mm[which]);
    return h;
  }
}
