/** Compare: whole-run end-to-end latency CDF of each variant, overlaid (quantiles averaged over replications). */

import { type ChartSpec, modelColour, topLevel } from '../../../report/charts/style.js';
import type { CompareResult } from '../aggregate.js';

export const NAME = 'compare-cdf';

export function compareCdfChart(result: CompareResult): ChartSpec | null {
  const names = result.variants.map((v) => v.name);
  const values: { variant: string; ms: number; q: number }[] = [];
  for (const v of names) {
    (result.cdf.e2e_ms[v] ?? []).forEach((ms, i) => {
      // As in latency-cdf.ts: the curve starts at the first percentile (no 0 ms point, no lone minimum).
      if (ms > 0 && result.cdf.quantiles[i] > 0) values.push({ variant: v, ms, q: result.cdf.quantiles[i] });
    });
  }
  if (values.length === 0) return null;
  const title = 'End-to-end latency per variant (CDF)';
  const spec = topLevel(
    title,
    {
      width: 560,
      height: 300,
      data: { values },
      mark: { type: 'line', interpolate: 'monotone', point: { size: 16 } },
      encoding: {
        x: {
          field: 'ms',
          type: 'quantitative',
          title: 'End-to-end latency (ms, log scale)',
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
        color: modelColour(names, 'variant', 'Variant'),
        order: { field: 'q', type: 'quantitative' },
      },
    },
    `All models mixed; quantiles averaged over ${result.replications} replications`,
  );
  return { name: NAME, title, spec };
}
