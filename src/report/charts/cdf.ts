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

/** The vega-lite body (no title or config: wrap it with topLevel, or concatenate several). */
export function cdfPlot(p: CdfPlot): VlSpec {
  const domain = cdfDomain(p.values as { ms: number }[]);
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
        axis: { format: ',~r' },
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
