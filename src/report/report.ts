/**
 * buildReport: a finished run's plain RunResult -> the Report of report/types.ts (report.json). Keys are
 * built in a fixed order (models in scenario order) and every non-integer is rounded to JSON_DECIMALS
 * decimals, so the same scenario and seed give a byte-identical report.json. Nothing wall-clock goes in:
 * the router status block is rendered with routing time "not measured" (run.json has the real figures).
 *
 * Field meanings where a choice was made:
 * - requests.retried / requests.fallback: requests retried at least once / that needed a fallback decision;
 *   routing.retries / routing.fallbacks: retries and fallback decisions (a request can have several).
 * - latency.*: per request, from its arrival (retry delays and failed attempts included), ok requests only;
 *   tpot = (e2e - ttft) / (output_tokens - 1) of the ok attempt; queue_ms: the ok attempt's wait for a slot.
 * - models.<id>.attempts: routing decisions that chose the model (retries included); share = its part of
 *   all decisions; completed / failed_attempts / refused_attempts: its attempts that ended ok / in error or
 *   timeout / were refused (queue full, rate limited); ttft/e2e: of the requests it completed, from their arrival (as
 *   latency.*); queue_ms: its ok attempts' wait for a slot;
 *   cache_hit_rate: share of its cache lookups that hit (any cached token); cache_token_hit_rate: share of
 *   the prompt tokens of those lookups served from cache (how deep prefixes were reused); quota_used: the largest share of a quota window
 *   seen at a timeline sample; utilization: busy slot-time / available slot-time; engine (serving-engine
 *   models only): steps, preemptions, kv_blocks, kv_peak_usage, prefix_evictions.
 * - cache: the same two rates over every model's lookups together.
 * - balance: Jain's index (Σx)²/(nΣx²) and the coefficient of variation of models.<id>.attempts.
 * - routing.attempted_models_mean: mean attempted_models of finished requests that were routed.
 * - stages (inference-perf traffic only): per load stage, requests sent in it and how they ended, and the
 *   latency of its completed requests (tpot_ms = inter-token latency), as inference-perf reports a stage.
 * - timeline.interval_ms: the width the run's series ended at (they coarsen past the cap, exactly: see
 *   metrics/series.ts), so every per-bucket figure below is of that width.
 * - timeline.in_flight: mean attempts in service per bucket (exact, from the model's busy slot-time);
 *   timeline.queued: mean attempts waiting per bucket, from the waits of attempts that ended (an attempt
 *   still queued when the run stops is not counted).
 */
import { dirname, isAbsolute, relative, sep } from 'node:path';
import type { BackendStats } from '../backends/backend.js';
import { JSON_DECIMALS, roundDeep } from '../core/format.js';
import { VERSION } from '../core/version.js';
import type { Histogram } from '../metrics/histogram.js';
import { HEALTH_VALUE } from '../metrics/run-metrics.js';
import { formatStatus } from '../router/status.js';
import type { RunResult } from '../run/result.js';
import { eventLabel } from '../scenario/events/index.js';
import type { Scenario } from '../scenario/types.js';
import { buildDrills } from './drills.js';
import { evaluateExpectations } from './expect.js';
import { modelNotes } from './notes.js';
import {
  CDF_QUANTILES,
  type FaultReport,
  type LatencySummary,
  type ModelReport,
  type ReplicaReport,
  type Report,
  type StageReport,
  type Timeline,
} from './types.js';

/** The report of a finished run: deterministic for the same scenario, seed and version. */
export function buildReport(x: RunResult): Report {
  const { scenario: s, metrics: m } = x;
  const ids = m.modelIds;
  const routed = m.models.map((mm) => mm.routed);
  const allRouted = routed.reduce((a, b) => a + b, 0);
  const models: Record<string, ModelReport> = {};
  ids.forEach((id, i) => {
    const mm = m.models[i];
    const b = x.backends[i];
    models[id] = {
      attempts: mm.routed,
      share: allRouted > 0 ? mm.routed / allRouted : 0,
      completed: mm.ok,
      failed_attempts: mm.failed,
      refused_attempts: mm.refused,
      ttft_ms: summary(mm.ttft),
      e2e_ms: summary(mm.e2e),
      queue_ms: summary(mm.queue),
      cache_hit_rate: b.cache_lookups > 0 ? b.cache_hits / b.cache_lookups : 0,
      cache_token_hit_rate: b.prompt_tokens > 0 ? b.cached_tokens / b.prompt_tokens : 0,
      quota_used: mm.quotaPeak,
      utilization: b.utilization,
      ...(b.engine ? { engine: { ...b.engine } } : {}),
      health_changes: x.healthChanges[i].map((c) => ({
        at_ms: c.at_ms,
        true_health: c.true_health,
        detected_at_ms: c.detected_at_ms,
        delay_ms: c.delay_ms,
      })),
      notes: modelNotes(x, i),
    };
  });
  const st = x.router;
  const report: Report = {
    scenario: s.name,
    seed: s.seed,
    strategy: s.router.strategy,
    version: VERSION,
    sim: { horizon_s: s.horizon_ms / 1000, events: x.events, end_s: x.end_ms / 1000 },
    requests: {
      total: m.total,
      completed: m.completed,
      failed: m.failed,
      rejected: m.rejected,
      retried: m.retriedRequests,
      fallback: m.fallbackRequests,
      timed_out: m.timedOut,
      in_flight_at_horizon: x.inFlight,
      skipped_rows: x.skippedRows,
    },
    latency: {
      ttft_ms: summary(m.merged('ttft')),
      e2e_ms: summary(m.merged('e2e')),
      tpot_ms: summary(m.tpot),
      queue_ms: summary(m.merged('queue')),
    },
    ...(s.traffic.kind === 'inference_perf' ? { stages: stageReports(x) } : {}),
    models,
    cache: cacheTotals(x.backends),
    routing: {
      strategy_counts: { ...st.strategy_counts },
      fallbacks: m.fallbackDecisions,
      retries: m.retries,
      ...(s.router.retry_budget !== null || st.retries_denied > 0
        ? { retries_denied: st.retries_denied }
        : {}),
      attempted_models_mean: m.attemptedCount > 0 ? m.attemptedSum / m.attemptedCount : 0,
      affinity: { ...st.affinity },
      ab: { ...st.ab },
      ...(x.replicas === null ? {} : { replicas: replicaReports(x, ids) }),
    },
    balance: balance(routed),
    cdf: {
      quantiles: CDF_QUANTILES.slice(),
      ttft_ms: Object.fromEntries(ids.map((id, i) => [id, m.models[i].ttft.quantiles(CDF_QUANTILES)])),
      e2e_ms: Object.fromEntries(ids.map((id, i) => [id, m.models[i].e2e.quantiles(CDF_QUANTILES)])),
    },
    timeline: timeline(x),
    ...(x.faults.length > 0 ? { faults: x.faults.map((f): FaultReport => ({ ...f })) } : {}),
    ...drillsOf(x),
    config: effectiveConfig(s),
    expectations: [],
    router_status: formatStatus(x.strategy, { ...st, routing_time_us: null }),
  };
  const rounded = roundDeep(report, JSON_DECIMALS) as Report;
  rounded.expectations = evaluateExpectations(rounded, s.expect).map((e) => ({
    ...e,
    actual: e.actual === null ? null : round(e.actual),
  }));
  return rounded;
}

/** `{ drills }` when the scenario has fault events, else nothing (so other reports keep their bytes). */
function drillsOf(x: RunResult): Pick<Report, 'drills'> {
  const drills = buildDrills(x);
  return drills === null ? {} : { drills };
}

/** Every stage of the profile, in order (a stage no request reached shows zeros). */
function stageReports(x: RunResult): StageReport[] {
  const t = x.scenario.traffic;
  if (t.kind !== 'inference_perf') return [];
  return t.profile.load.stages.map((st, i) => {
    const m = x.metrics.stages.at(i);
    return {
      stage: i,
      rate: st.rate,
      duration_s: st.duration_s,
      requests: m.sent,
      completed: m.completed,
      failed: m.failed,
      rejected: m.rejected,
      ttft_ms: summary(m.ttft),
      e2e_ms: summary(m.e2e),
      tpot_ms: summary(m.tpot),
    };
  });
}

function replicaReports(x: RunResult, ids: readonly string[]): ReplicaReport[] {
  return (x.replicas ?? []).map((r) => {
    const decisions = r.decisions.reduce((a, b) => a + b, 0);
    return {
      requests: r.requests,
      decisions,
      share: Object.fromEntries(ids.map((id, i) => [id, decisions > 0 ? r.decisions[i] / decisions : 0])),
      retries: r.retries,
      fallbacks: r.fallbacks,
      rejected: r.rejected,
      affinity_hits: r.affinity_hits,
      ejections: Object.fromEntries(ids.map((id, i) => [id, r.ejections[i]])),
    };
  });
}

function summary(h: Histogram): LatencySummary {
  return {
    count: h.count,
    mean: h.mean(),
    p50: h.quantile(0.5),
    p90: h.quantile(0.9),
    p99: h.quantile(0.99),
    max: h.count > 0 ? h.max : 0,
  };
}

/** Cache figures over all models' lookups (0 when there were none). */
function cacheTotals(backends: readonly BackendStats[]): Report['cache'] {
  let lookups = 0;
  let hits = 0;
  let prompt = 0;
  let cached = 0;
  for (const b of backends) {
    lookups += b.cache_lookups;
    hits += b.cache_hits;
    prompt += b.prompt_tokens;
    cached += b.cached_tokens;
  }
  return {
    hit_rate: lookups > 0 ? hits / lookups : 0,
    token_hit_rate: prompt > 0 ? cached / prompt : 0,
  };
}

/** Jain's fairness index and the coefficient of variation (population) of per-model counts. */
export function balance(xs: readonly number[]): { jain_index: number; cv: number } {
  const n = xs.length;
  if (n === 0) return { jain_index: 1, cv: 0 };
  let sum = 0;
  let sq = 0;
  for (const v of xs) {
    sum += v;
    sq += v * v;
  }
  if (sum === 0) return { jain_index: 1, cv: 0 };
  const mean = sum / n;
  const variance = Math.max(0, sq / n - mean * mean);
  return { jain_index: (sum * sum) / (n * sq), cv: Math.sqrt(variance) / mean };
}

function timeline(x: RunResult): Timeline {
  const m = x.metrics;
  const iv = m.interval_ms;
  // Buckets up to the end; one more when something happened exactly at the end (t = k * interval).
  const counted = [m.arrivals, m.completedSeries, m.errors, m.rejections, m.fallbacks, m.retrySeries];
  for (const mm of m.models) counted.push(mm.routedSeries, mm.cacheLookups);
  const nb = Math.max(1, Math.ceil(x.end_ms / iv), ...counted.map((c) => c.length));
  const ids = m.modelIds;
  const perModel = <T>(f: (i: number) => T): Record<string, T> =>
    Object.fromEntries(ids.map((id, i) => [id, f(i)]));
  const quota: Record<string, number[]> = {};
  const quotaEvents = new Set(x.scenario.events.flatMap((e) => (e.kind === 'quota' ? [e.model] : [])));
  ids.forEach((id, i) => {
    if (x.scenario.models[i].quota !== null || quotaEvents.has(id))
      quota[id] = m.models[i].quotaSeries.toArray(nb, 0);
  });
  /** An area over bucket b as a time-weighted mean (the last bucket may be partial). */
  const per = (area: number, b: number): number => {
    const span = Math.min(iv, x.end_ms - b * iv);
    return span > 0 ? area / span : 0;
  };
  return {
    interval_ms: iv,
    t_ms: Array.from({ length: nb }, (_, b) => b * iv),
    arrivals: m.arrivals.toArray(nb),
    completed: m.completedSeries.toArray(nb),
    errors: m.errors.toArray(nb),
    rejections: m.rejections.toArray(nb),
    fallbacks: m.fallbacks.toArray(nb),
    retries: m.retrySeries.toArray(nb),
    affinity_entries: m.affinityEntries.toArray(nb, 0),
    in_flight: perModel((i) => {
      const busy = m.models[i].busyAt.toArray(nb, 0);
      return busy.map((v, b) => per(v - (b > 0 ? busy[b - 1] : 0), b));
    }),
    queued: perModel((i) => m.models[i].queuedArea.toArray(nb).map((v, b) => per(v, b))),
    routed: perModel((i) => m.models[i].routedSeries.toArray(nb)),
    quota_used: quota,
    cache_hit_rate: perModel((i) => {
      const look = m.models[i].cacheLookups.toArray(nb);
      const hits = m.models[i].cacheHits.toArray(nb);
      return look.map((l, b) => (l > 0 ? hits[b] / l : null));
    }),
    health: perModel((i) => m.models[i].healthSeries.toArray(nb, HEALTH_VALUE[x.scenario.models[i].health])),
    events: x.scenario.events.map((e) => ({ at_ms: e.at_ms, label: eventLabel(e) })),
  };
}

/** Keys of the scenario that hold file paths (made absolute by the loader). */
const PATH_KEYS = new Set(['path', 'profile_path', 'model_config', 'gpu', 'coefficients_path', 'file']);

/**
 * The scenario as run, for report.json, with Infinity written as "Infinity". Paths are written relative to the scenario's folder (`/`
 * separated), as the user wrote them: absolute paths made report.json differ between two checkouts of
 * the same project, breaking "byte-identical for the same scenario, seed and version".
 */
function effectiveConfig(s: Scenario): unknown {
  const { file, ...rest } = s;
  const base = file ? dirname(file) : '';
  return JSON.parse(
    JSON.stringify(rest, (k, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (base && PATH_KEYS.has(k) && typeof v === 'string' && isAbsolute(v))
        return relative(base, v).split(sep).join('/');
      return v;
    }),
  );
}

export function round(v: number): number {
  return roundDeep(v, JSON_DECIMALS) as number;
}
