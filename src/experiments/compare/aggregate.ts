/**
 * From finished cells to a comparison: each cell's report is reduced to a CellResult (its metrics and the
 * quantiles of its whole-run e2e distribution), which is small, JSON-safe and independent of other cells —
 * so shards can write them and a merge can aggregate them. Aggregation gives, per variant and metric, the
 * mean and Student-t 95% interval over replications, and the paired difference against the first variant.
 */
import { type MetricDef, metricValue } from '../../report/check-metrics.js';
import { CDF_QUANTILES, type Report } from '../../report/types.js';
import type { Cell, Variant } from './cells.js';
import { ci95, excludesZero, type Interval, mean } from './stats.js';

/** What one cell contributes to a comparison. */
export interface CellResult {
  index: number;
  variant: string;
  replication: number;
  seed: number;
  metrics: Record<string, number | null>;
  /** Whole-run e2e latency (all models mixed by completions) at CDF_QUANTILES, ms. */
  e2e_quantiles: number[];
}

export interface MetricSummary extends Interval {
  /** Per replication, in replication order (null where the report had no value). */
  values: (number | null)[];
}

export interface Difference extends Interval {
  /** The 95% interval of (variant - reference) excludes 0. */
  significant: boolean;
}

export interface CompareResult {
  scenario: string;
  version: string;
  base_seed: number;
  replications: number;
  seeds: number[];
  rank_by: string;
  variants: Variant[];
  metrics: MetricDef[];
  /** variant -> metric path -> summary over replications (null when no replication had a value). */
  results: Record<string, Record<string, MetricSummary | null>>;
  /** variant -> metric -> paired difference against variants[0] (absent for variants[0] itself). */
  differences: Record<string, Record<string, Difference | null>>;
  /** Best first by rank_by (direction from the metric: lower or higher is better). */
  ranking: { rank: number; variant: string; value: number | null }[];
  /** Per variant, e2e quantiles averaged over replications (quantile averaging), for the overlaid CDF. */
  cdf: { quantiles: number[]; e2e_ms: Record<string, number[]> };
}

/** Share of a model's requests at or below x, by linear interpolation of its (value, quantile) points. */
function cdfAt(values: readonly number[], qs: readonly number[], x: number): number {
  if (values.length === 0 || x < values[0]) return 0;
  if (x >= values[values.length - 1]) return 1;
  let i = 0;
  while (i + 1 < values.length && values[i + 1] <= x) i++;
  const v0 = values[i];
  const v1 = values[i + 1];
  return v1 > v0 ? qs[i] + ((qs[i + 1] - qs[i]) * (x - v0)) / (v1 - v0) : qs[i + 1];
}

/**
 * Quantiles of the whole run's latency (`key`), mixing the per-model CDFs of report.cdf weighted by each
 * model's count; inverted by bisection. Empty when no model completed anything.
 */
export function mixtureQuantiles(
  report: Report,
  key: 'e2e_ms' | 'ttft_ms',
  at: readonly number[] = CDF_QUANTILES,
): number[] {
  const qs = report.cdf.quantiles;
  const parts: { v: number[]; w: number }[] = [];
  for (const [id, v] of Object.entries(report.cdf[key])) {
    const w = report.models[id]?.[key]?.count ?? report.models[id]?.completed ?? 0;
    if (v && v.length === qs.length && w > 0) parts.push({ v, w });
  }
  if (parts.length === 0) return [];
  const W = parts.reduce((s, p) => s + p.w, 0);
  const F = (x: number) => parts.reduce((s, p) => s + p.w * cdfAt(p.v, qs, x), 0) / W;
  const lo0 = Math.min(...parts.map((p) => p.v[0]));
  const hi0 = Math.max(...parts.map((p) => p.v[p.v.length - 1]));
  return at.map((q) => {
    if (q <= 0) return lo0;
    if (q >= 1) return hi0;
    let lo = lo0;
    let hi = hi0;
    for (let k = 0; k < 50 && hi - lo > 1e-9 * Math.max(1, hi); k++) {
      const mid = (lo + hi) / 2;
      if (F(mid) >= q) hi = mid;
      else lo = mid;
    }
    return hi;
  });
}

/** Reduces one finished cell to what the comparison needs. */
export function summarizeCell(cell: Cell, report: Report, metrics: readonly MetricDef[]): CellResult {
  const m: Record<string, number | null> = {};
  for (const d of metrics) m[d.path] = metricValue(report, d.path);
  return {
    index: cell.index,
    variant: cell.variant,
    replication: cell.replication,
    seed: cell.seed,
    metrics: m,
    e2e_quantiles: mixtureQuantiles(report, 'e2e_ms'),
  };
}

function summary(values: (number | null)[]): MetricSummary | null {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length === 0 ? null : { ...ci95(xs), values };
}

/**
 * Aggregates cell results (any order, e.g. merged from shards) into a comparison. Throws when a cell is
 * missing: a comparison over an incomplete grid would silently be a different comparison.
 */
export function aggregate(input: {
  scenario: string;
  version: string;
  base_seed: number;
  seeds: number[];
  variants: Variant[];
  metrics: MetricDef[];
  rank_by: string;
  cells: readonly CellResult[];
}): CompareResult {
  const { variants, seeds, metrics } = input;
  const n = seeds.length;
  const grid = new Map<string, CellResult>();
  for (const c of input.cells) grid.set(`${c.variant}\u0000${c.replication}`, c);
  const cellOf = (v: string, r: number) => {
    const c = grid.get(`${v}\u0000${r}`);
    if (!c) throw new Error(`aggregate: no result for variant "${v}" replication ${r}`);
    return c;
  };
  const results: CompareResult['results'] = {};
  const differences: CompareResult['differences'] = {};
  const ref = variants[0].name;
  for (const v of variants) {
    results[v.name] = {};
    for (const d of metrics) {
      const values = Array.from({ length: n }, (_, r) => cellOf(v.name, r).metrics[d.path] ?? null);
      results[v.name][d.path] = summary(values);
    }
    if (v.name === ref) continue;
    differences[v.name] = {};
    for (const d of metrics) {
      // Paired by replication (same seed); a pair with a missing value on either side is dropped.
      const diffs: number[] = [];
      for (let r = 0; r < n; r++) {
        const a = cellOf(ref, r).metrics[d.path];
        const b = cellOf(v.name, r).metrics[d.path];
        if (a !== null && a !== undefined && b !== null && b !== undefined) diffs.push(b - a);
      }
      if (diffs.length === 0) differences[v.name][d.path] = null;
      else {
        const iv = ci95(diffs);
        differences[v.name][d.path] = { ...iv, significant: excludesZero(iv) };
      }
    }
  }
  const rankDef = metrics.find((d) => d.path === input.rank_by);
  const sign = rankDef?.better === 'higher' ? -1 : 1;
  const ranking = variants
    .map((v, i) => ({ variant: v.name, i, value: results[v.name][input.rank_by]?.mean ?? null }))
    .sort((a, b) => {
      if (a.value === null || b.value === null)
        return a.value === null ? (b.value === null ? a.i - b.i : 1) : -1;
      return sign * (a.value - b.value) || a.i - b.i;
    })
    .map((x, k) => ({ rank: k + 1, variant: x.variant, value: x.value }));
  const e2e: Record<string, number[]> = {};
  for (const v of variants) {
    const rows = Array.from({ length: n }, (_, r) => cellOf(v.name, r).e2e_quantiles).filter(
      (q) => q.length > 0,
    );
    e2e[v.name] = rows.length === 0 ? [] : CDF_QUANTILES.map((_, i) => mean(rows.map((q) => q[i])));
  }
  return {
    scenario: input.scenario,
    version: input.version,
    base_seed: input.base_seed,
    replications: n,
    seeds: [...seeds],
    rank_by: input.rank_by,
    variants: [...variants],
    metrics: [...metrics],
    results,
    differences,
    ranking,
    cdf: { quantiles: [...CDF_QUANTILES], e2e_ms: e2e },
  };
}
