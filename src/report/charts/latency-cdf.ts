/**
 * Latency CDFs per model, TTFT beside end-to-end, from report.cdf (quantile -> ms). The x axis is
 * logarithmic so that the median and the p99 tail are both readable.
 */
import type { Report } from '../types.js';
import { type ChartSpec, modelColour, modelIds, topLevel, type VlSpec } from './style.js';

export const NAME = 'latency-cdf';

function panel(report: Report, key: 'ttft_ms' | 'e2e_ms', xTitle: string): VlSpec | null {
  const ids = modelIds(report);
  const values: { model: string; ms: number; q: number }[] = [];
  for (const model of ids) {
    const points = report.cdf[key][model];
    if (!points) continue;
    points.forEach((ms, i) => {
      // Log scale: the minimum (quantile 0) is a single outlier that would stretch the axis by decades, and
      // a 0 ms value cannot be drawn at all; the curve starts at the first percentile.
      const q = report.cdf.quantiles[i];
      if (ms > 0 && q > 0) values.push({ model, ms, q });
    });
  }
  if (values.length === 0) return null;
  return {
    width: 330,
    height: 240,
    data: { values },
    mark: { type: 'line', interpolate: 'monotone', point: { size: 18 } },
    encoding: {
      x: {
        field: 'ms',
        type: 'quantitative',
        title: xTitle,
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
      color: modelColour(ids),
      order: { field: 'q', type: 'quantitative' },
    },
  };
}

/** Null when no model has latency quantiles (nothing completed). */
export function latencyCdfChart(report: Report): ChartSpec | null {
  const panels = [
    panel(report, 'ttft_ms', 'Time to first token (ms, log scale)'),
    panel(report, 'e2e_ms', 'End-to-end latency (ms, log scale)'),
  ].filter((p): p is VlSpec => p !== null);
  if (panels.length === 0) return null;
  const title = 'Latency distribution per model (CDF)';
  const spec = topLevel(title, { hconcat: panels, resolve: { scale: { color: 'shared' } } });
  return { name: NAME, title, spec };
}
