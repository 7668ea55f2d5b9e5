/** Compare: whole-run end-to-end latency CDF of each variant, overlaid (quantiles averaged over replications). */

import { addCdfCurve, type CdfPoint, cdfPlot } from '../../../report/charts/cdf.js';
import { type ChartSpec, modelColour, topLevel } from '../../../report/charts/style.js';
import type { CompareResult } from '../aggregate.js';

const NAME = 'compare-cdf';

/** Null when no variant completed a request. */
export function compareCdfChart(result: CompareResult): ChartSpec | null {
  const names = result.variants.map((v) => v.name);
  const values: CdfPoint<{ variant: string }>[] = [];
  for (const variant of names)
    addCdfCurve(values, { variant }, result.cdf.e2e_ms[variant] ?? [], result.cdf.quantiles);
  if (values.length === 0) return null;
  const title = 'End-to-end latency per variant (CDF)';
  const spec = topLevel(
    title,
    cdfPlot({
      width: 560,
      height: 300,
      pointSize: 16,
      xTitle: 'End-to-end latency (ms, log scale)',
      values,
      color: modelColour(names, 'variant', 'Variant'),
    }),
    `All models mixed; quantiles averaged over ${result.replications} replications`,
  );
  return { name: NAME, title, spec };
}
