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
  values: readonly object[];
  color: VlSpec;
  encoding?: VlSpec;
}

/** The vega-lite body (no title or config: wrap it with topLevel, or concatenate several). */
export function cdfPlot(p: CdfPlot): VlSpec {
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
        scale: { type: 'log' },
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
