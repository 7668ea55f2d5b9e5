/**
 * The metrics check and compare read: dotted paths into the report (`latency.e2e_ms.p99`,
 * `models.llama-3.1-70b.share`), the same names as in `expect:`, each with the direction that counts as
 * better and the default tolerances a baseline comparison allows.
 */
import { resolveMetric } from './expect.js';
import type { Report } from './types.js';

/**
 * The value of a metric, or null when the path leads nowhere or has no value. The same lookup as the
 * report's own expectations (report/expect.ts), so what a reader sees and what CI checks never disagree.
 */
export function metricValue(report: Report, path: string): number | null {
  return resolveMetric(report, path);
}

/** How a metric should move: down (latency, failures), up (completions, fairness), or stay (shares). */
export type Better = 'lower' | 'higher' | 'none';

/** A metric that check compares against a baseline and compare aggregates over replications. */
export interface MetricDef {
  path: string;
  label: string;
  better: Better;
  /** Unit for tables and axes: 'ms', 'requests', '' (a ratio 0..1). */
  unit: string;
  /** Default tolerances for baselines: passes when within either (see check.ts). */
  rel_tol: number;
  abs_tol: number;
}

/** A metric as a table header or chart axis names it: the label, then the unit in parentheses (not for counts). */
export function metricTitle(d: Pick<MetricDef, 'label' | 'unit'>): string {
  return d.unit && d.unit !== 'requests' ? `${d.label} (${d.unit})` : d.label;
}

const LAT = { better: 'lower', unit: 'ms', rel_tol: 0.1, abs_tol: 5 } as const;
const COUNT = { unit: 'requests', rel_tol: 0.1, abs_tol: 2 } as const;
const RATIO = { unit: '', rel_tol: 0.05, abs_tol: 0.02 } as const;

/**
 * The standard metrics of a report, per-model shares included. Default tolerances: latencies 10% or 5 ms,
 * counts 10% or 2 requests, ratios (shares, fairness) 5% or 0.02 absolute.
 */
export function standardMetrics(modelIds: readonly string[]): MetricDef[] {
  const defs: MetricDef[] = [
    { path: 'latency.e2e_ms.p50', label: 'E2E p50', ...LAT },
    { path: 'latency.e2e_ms.p99', label: 'E2E p99', ...LAT },
    { path: 'latency.ttft_ms.p50', label: 'TTFT p50', ...LAT },
    { path: 'latency.ttft_ms.p99', label: 'TTFT p99', ...LAT },
    { path: 'latency.queue_ms.p99', label: 'Queue p99', ...LAT },
    { path: 'requests.completed', label: 'Completed', better: 'higher', ...COUNT },
    { path: 'requests.failed', label: 'Failed', better: 'lower', ...COUNT },
    { path: 'requests.rejected', label: 'Rejected', better: 'lower', ...COUNT },
    { path: 'requests.timed_out', label: 'Timed out', better: 'lower', ...COUNT },
    { path: 'routing.fallbacks', label: 'Fallbacks', better: 'lower', ...COUNT },
    { path: 'routing.retries', label: 'Retries', better: 'lower', ...COUNT },
    { path: 'routing.affinity.hits', label: 'Affinity hits', better: 'higher', ...COUNT },
    { path: 'routing.affinity.expired', label: 'Affinity expired', better: 'none', ...COUNT },
    { path: 'balance.jain_index', label: "Jain's index", better: 'higher', ...RATIO },
  ];
  for (const id of modelIds)
    defs.push({ path: `models.${id}.share`, label: `${id} share`, better: 'none', ...RATIO });
  return defs;
}

/**
 * Cache metrics, for compare when a model has a cache: the share of lookups that hit, and the share of
 * prompt tokens served from cache (the one that tells prefix-routing strategies apart: a prefix every
 * request shares makes nearly every lookup a hit whatever the routing).
 */
export function cacheMetrics(): MetricDef[] {
  return [
    { path: 'cache.hit_rate', label: 'Cache hit rate', better: 'higher', ...RATIO },
    { path: 'cache.token_hit_rate', label: 'Cached token share', better: 'higher', ...RATIO },
  ];
}

/** Drills compare shows at most (a flapping fleet can have many; the first ones tell the story). */
const COMPARED_DRILLS = 3;

/**
 * Drill figures, for compare when the scenario has fault events (`drills` fault events in all): per
 * drill, detection, lost requests, retry amplification and the p99 of the requests sent during it.
 * Not recovered_after_s: a replication that never recovered has no value, and a mean over the others
 * would read as a recovery.
 */
export function drillMetrics(drills: number): MetricDef[] {
  const defs: MetricDef[] = [];
  const SEC = { better: 'lower', unit: 's', rel_tol: 0.1, abs_tol: 1 } as const;
  for (let i = 0; i < Math.min(drills, COMPARED_DRILLS); i++) {
    const at = `drills.${i}`;
    defs.push(
      { path: `${at}.detected_after_s`, label: `Drill ${i} detected after`, ...SEC },
      { path: `${at}.lost_requests`, label: `Drill ${i} lost`, better: 'lower', ...COUNT },
      {
        path: `${at}.retry_amplification`,
        label: `Drill ${i} attempts per request`,
        better: 'lower',
        ...RATIO,
      },
      { path: `${at}.p99_e2e_ms.during`, label: `Drill ${i} E2E p99 during`, ...LAT },
    );
  }
  return defs;
}
