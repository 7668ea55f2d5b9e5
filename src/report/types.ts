/**
 * The report object (report.json): stable names that CI and users read. Built by report/report.ts from a
 * finished simulation; every format (json, markdown, html, junit) is a function of this object.
 * Same scenario + seed + version => byte-identical JSON (no wall-clock figures here: those go in run.json).
 * Latencies are milliseconds; shares and rates are 0..1.
 */
import type { EngineStats } from '../backends/backend.js';
import type { FaultRecord } from '../run/result.js';

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * One model's part of the run. Its counts are of attempts (a request retried on another model is an
 * attempt on each), so they sum over models to more than the request totals when there were retries.
 */
export interface ModelReport {
  /** Attempts routed to the model: routing decisions that chose it, retries included. */
  attempts: number;
  /** Its part of all attempts routed (0..1). */
  share: number;
  /** Its attempts that ended ok: the requests it completed. */
  completed: number;
  /** Its attempts that ended in an error or a timeout (the request may have been retried elsewhere). */
  failed_attempts: number;
  /** Its attempts it refused: queue full, rate limited, down (the request may have been retried elsewhere). */
  refused_attempts: number;
  ttft_ms: LatencySummary;
  e2e_ms: LatencySummary;
  queue_ms: LatencySummary;
  cache_hit_rate: number;
  /** Share of the prompt tokens of its cache lookups served from cache (prefix caches: reuse depth). */
  cache_token_hit_rate: number;
  quota_used: number;
  utilization: number;
  /** Serving-engine models only (`engine:`): what the engine did (backends/backend.ts EngineStats). */
  engine?: EngineStats;
  /** Health transitions seen by the router, with the detection delay against the true change. */
  health_changes: {
    at_ms: number;
    true_health: string;
    detected_at_ms: number | null;
    delay_ms: number | null;
  }[];
  /** Why the model could not serve, when it failed to load or crashed (gguf). */
  notes: string[];
}

/**
 * Per-interval series, each array one value per bucket of `interval_ms` (bucket i covers
 * [i*interval_ms, (i+1)*interval_ms)). Per-model series are keyed by model id.
 */
export interface Timeline {
  /**
   * The bucket width the run used: `timeline.interval` (default 1 s), doubled as often as the span needed
   * to fit the bucket cap (metrics/timebase.ts: at most 4,096 buckets and 2^20 buckets × models).
   */
  interval_ms: number;
  t_ms: number[];
  arrivals: number[];
  completed: number[];
  errors: number[];
  rejections: number[];
  fallbacks: number[];
  retries: number[];
  affinity_entries: number[];
  /** Mean in service over the bucket (time-weighted), per model. */
  in_flight: Record<string, number[]>;
  /** Mean queued over the bucket, per model. */
  queued: Record<string, number[]>;
  /** Requests routed to the model in the bucket. */
  routed: Record<string, number[]>;
  /** Share of quota window used at the bucket's end, per model (absent without quota). */
  quota_used: Record<string, number[]>;
  /** Cache hit rate of the attempts that started in the bucket (NaN-free: null when none). */
  cache_hit_rate: Record<string, (number | null)[]>;
  /** Health as the router saw it at the bucket's end: 1 healthy, 0.5 degraded, 0 unhealthy. */
  health: Record<string, number[]>;
  /** The scenario's timeline events, for marking charts. */
  events: { at_ms: number; label: string }[];
  /** TTFT/e2e CDF points per model (quantile -> ms), for CDF charts without raw samples. */
}

/**
 * The score of one fault drill (report/drills.ts defines every figure; the README's "Drills" section
 * says the same). Times in seconds from the start of the run; null where there was nothing to measure.
 */
export interface Drill {
  /** The fault: unhealthy, crash, hang, flap, metrics_stale, partition. */
  event: string;
  model: string;
  at_s: number;
  /** Until the router first showed the model unhealthy (probes or ejection); null: never. */
  detected_after_s: number | null;
  /** Until the error rate and p99 e2e of a sliding window were back within tolerance of the baseline. */
  recovered_after_s: number | null;
  /** Requests that failed or were rejected from the fault to the end of the recovery window. */
  lost_requests: number;
  /** Attempts routed per request that arrived during the drill (1: no retries). */
  retry_amplification: number | null;
  /** The largest share of the drill's attempts that one other model took. */
  max_share: number | null;
  cache_hit_rate: { before: number | null; min: number | null; after: number | null };
  p99_e2e_ms: { before: number | null; during: number | null; after: number | null };
}

/** One load stage of traffic sent in stages (inference-perf): what was sent in it and how it went. */
export interface StageReport {
  stage: number;
  /** Requests per second the stage asked for, and for how long. */
  rate: number;
  duration_s: number;
  /** Requests sent in the stage, and how they ended (in flight at the horizon: the rest). */
  requests: number;
  completed: number;
  failed: number;
  rejected: number;
  /** Of its completed requests, from arrival; tpot_ms is the inter-token latency. */
  ttft_ms: LatencySummary;
  e2e_ms: LatencySummary;
  tpot_ms: LatencySummary;
}

/**
 * One fault applied by the timeline, as report.json writes it: the run's own record (run/result.ts), the
 * one source of its fields; times are virtual ms from the start.
 */
export type FaultReport = FaultRecord;

export interface Report {
  scenario: string;
  seed: number;
  strategy: string;
  version: string;
  sim: { horizon_s: number; events: number; end_s: number };
  requests: {
    total: number;
    completed: number;
    failed: number;
    rejected: number;
    retried: number;
    fallback: number;
    timed_out: number;
    in_flight_at_horizon: number;
    skipped_rows: number;
  };
  latency: {
    ttft_ms: LatencySummary;
    e2e_ms: LatencySummary;
    tpot_ms: LatencySummary;
    queue_ms: LatencySummary;
  };
  /** Per load stage; only when the traffic has stages (`traffic: { inference_perf }`). */
  stages?: StageReport[];
  models: Record<string, ModelReport>;
  /** Over every model's cache lookups: share that hit, and share of their prompt tokens served from cache. */
  cache: { hit_rate: number; token_hit_rate: number };
  routing: {
    strategy_counts: Record<string, number>;
    fallbacks: number;
    retries: number;
    /** Retries that router.retry_budget refused (present when a retry budget is set). */
    retries_denied?: number;
    attempted_models_mean: number;
    affinity: { hits: number; misses: number; stale_hits: number; expired: number; entries: number };
    ab: { a: number; b: number };
    /** Per router replica (only with router.replicas.count > 1), in replica order. */
    replicas?: ReplicaReport[];
  };
  balance: { jain_index: number; cv: number };
  /** Latency distributions for CDF charts: per model, quantiles at CDF_QUANTILES. */
  cdf: { quantiles: number[]; ttft_ms: Record<string, number[]>; e2e_ms: Record<string, number[]> };
  timeline: Timeline;
  /** Every fault the timeline applied (crash, hang, flap, metrics_stale); absent without fault events. */
  faults?: FaultReport[];
  /** One per fault event (present only when the scenario has one). */
  drills?: Drill[];
  /** The effective configuration (every default filled), so a report says exactly what ran. */
  config: unknown;
  /** Results of the scenario's expect: block. */
  expectations: { metric: string; op: string; value: number; actual: number | null; pass: boolean }[];
  /** The Request Router Status block, as text. */
  router_status: string;
}

/** What one router replica did (routing.replicas[i]). */
export interface ReplicaReport {
  /** Requests the split gave it; their retries stay with it. */
  requests: number;
  /** Its routing decisions that chose a model (retries included). */
  decisions: number;
  /** Per model: its share of this replica's decisions. */
  share: Record<string, number>;
  retries: number;
  fallbacks: number;
  /** Its route() calls that found no model. */
  rejected: number;
  affinity_hits: number;
  /** Per model: ejections by this replica's own outlier detection. */
  ejections: Record<string, number>;
}

/** Quantiles kept for CDF charts. */
export const CDF_QUANTILES: readonly number[] = [
  0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 0.995, 0.999, 1,
];
