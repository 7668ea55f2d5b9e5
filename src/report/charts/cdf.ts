/**
 * The latency CDF plot every CDF chart draws (a report's per-model panels, compare's variants, fidelity's
 * live against simulated): quantile curves over a logarithmic ms axis, so that the median and the p99 tail
 * are both readable.
 */
import type { VlSpec } from './style.js';

/** One point of a curve: `ms` reached by the share `q` of requests, with the fields naming its series. */
export type CdfPoint<F> = F & { ms: number; q: number };

/**
 * Appends the curve `ms` (one value per entry of `quantiles`) to `out`, each point carrying `fields`.
 * Quantile 0 and 0 ms values are left out: on a log scale the minimum is a lone outlier that would stretch
 * the axis by decades, and 0 cannot be drawn at all (a series with nothing completed is all zeros).
 */
export function addCdfCurve<F extends object>(
  out: CdfPoint<F>[],
  fields: F,
  ms: readonly number[],
  quantiles: readonly number[],
): void {
  for (let i = 0; i < ms.length; i++) {
    const q = quantiles[i];
    if (ms[i] > 0 && q > 0) out.push({ ...fields, ms: ms[i], q });
  }
}

/** The look of one CDF plot; `encoding` adds channels (a dash per run) beside the colour. */
export interface CdfPlot {
  width: number;
  height: number;
  pointSize: number;
  xTitle: string;
  values: readonly { ms: number }[];
  color: VlSpec;
  encoding?: VlSpec;
}

/**
 * The x domain of a log-scale CDF: from the smallest to the largest latency drawn, padded by 4% of the
 * span in log space (at least 5% either side) so end points sit inside the frame. Not rounded out to
 * powers of ten: a run whose latencies lie between 1,100 and 1,800 ms gets that range, not 1,000–10,000
 * with every curve squeezed against the left edge. Null when nothing is drawn.
 */
export function cdfDomain(values: readonly { ms: number }[]): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const v of values) {
    if (v.ms < lo) lo = v.ms;
    if (v.ms > hi) hi = v.ms;
  }
  if (!(hi > 0)) return null;
  const pad = Math.max(1.05, (hi / lo) ** 0.04);
  return [lo / pad, hi * pad];
}

/** The 1-2-5 step nearest `raw` (> 0) on a log scale: 0.1, 0.2, 0.5, 1, 2, 5, 10, ... */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return p * (m < Math.SQRT2 ? 1 : m < Math.sqrt(10) ? 2 : m < Math.sqrt(50) ? 5 : 10);
}

/** Pixels of axis a tick label gets (a label such as `1,500` at font size 12, with room either side). */
const TICK_PX = 60;

/**
 * Labelled ticks for a log axis over `domain` that spans less than a decade, or null for a wider one
 * (vega's own ticks, powers of ten and their multiples, read well there). Under a decade vega offers only
 * the multiples of one power of ten inside the domain and drops labels that crowd, so a 330-2,000 ms axis
 * was labelled 400 to 900 and its upper half not at all. Instead: round numbers (multiples of a 1-2-5
 * step) nearest to points spread evenly in log space, about one per TICK_PX of `width`.
 */
export function cdfTicks(domain: readonly [number, number], width: number): number[] | null {
  const [lo, hi] = domain;
  if (!(lo > 0) || !(hi > lo) || hi / lo >= 10) return null;
  const n = Math.max(3, Math.floor(width / TICK_PX));
  const step = niceStep((hi - lo) / (2 * n));
  const candidates: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; k++) candidates.push(Number((k * step).toPrecision(12)));
  const [l, h] = [Math.log10(lo), Math.log10(hi)];
  // Within a third of the spacing of each even point, the roundest candidate wins (a multiple of 10, 5 or
  // 2 steps before a single step), then the nearest: 1,200 and 1,500 rather than 1,300 and 1,450.
  const reach = (h - l) / n / 3;
  const roundness = (c: number) => [10, 5, 2].findIndex((m) => isMultiple(c, m * step));
  const rank = (c: number) => (roundness(c) === -1 ? 3 : roundness(c));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const target = l + ((h - l) * (i + 0.5)) / n;
    let best: number | undefined;
    for (const c of candidates) {
      const d = Math.abs(Math.log10(c) - target);
      if (best === undefined) best = c;
      const bd = Math.abs(Math.log10(best) - target);
      const better = d <= reach && (bd > reach || rank(c) < rank(best) || (rank(c) === rank(best) && d < bd));
      if (better || (bd > reach && d < bd)) best = c;
    }
    if (best !== undefined && out.at(-1) !== best) out.push(best);
  }
  return out;
}

/** `x` is a whole multiple of `m` (to within float rounding). */
function isMultiple(x: number, m: number): boolean {
  const r = x / m;
  return Math.abs(r - Math.round(r)) < 1e-9;
}

/** The vega-lite body (no title or config: wrap it with topLevel, or concatenate several). */
export function cdfPlot(p: CdfPlot): VlSpec {
  const domain = cdfDomain(p.values as { ms: number }[]);
  const ticks = domain ? cdfTicks(domain, p.width) : null;
  return {
    width: p.width,
    height: p.height,
    data: { values: p.values },
    mark: { type: 'line', interpolate: 'monotone', point: { size: p.pointSize } },
    encoding: {
      x: {
        field: 'ms',
        type: 'quantitative',
        title: p.xTitle,
        scale: domain ? { type: 'log', domain, nice: false } : { type: 'log' },
        axis: ticks ? { format: ',~r', values: ticks } : { format: ',~r' },
      },
      y: {
        field: 'q',
        type: 'quantitative',
        title: 'Cumulative share (%)',
        scale: { domain: [0, 1] },
        axis: { format: '.0%' },
      },
      color: p.color,
      ...p.encoding,
      order: { field: 'q', type: 'quantitative' },
    },
  };
}
