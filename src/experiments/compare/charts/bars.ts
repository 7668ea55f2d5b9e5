/**
 * Compare: one small panel per metric, a bar per variant at its mean over replications, with the 95%
 * confidence interval as an error bar. Panels have their own y scales (ms next to counts).
 */

import { type ChartSpec, modelColour, topLevel } from '../../../report/charts/style.js';
import { metricTitle } from '../../../report/check-metrics.js';
import type { CompareResult } from '../aggregate.js';

const NAME = 'compare-bars';

/** Metrics drawn, in panel order (those the comparison has). */
const BAR_METRICS = [
  'latency.e2e_ms.p50',
  'latency.e2e_ms.p99',
  'latency.ttft_ms.p99',
  'latency.queue_ms.p99',
  'requests.failed',
  'requests.rejected',
  'routing.fallbacks',
  'routing.retries',
  'routing.affinity.hits',
  'balance.jain_index',
];

export function compareBarsChart(result: CompareResult): ChartSpec | null {
  const names = result.variants.map((v) => v.name);
  const defs = BAR_METRICS.map((p) => result.metrics.find((d) => d.path === p)).filter(
    (d) => d !== undefined,
  );
  const values: { metric: string; variant: string; mean: number; low: number; high: number }[] = [];
  const labels: string[] = [];
  const zero: string[] = [];
  let cut = false;
  for (const d of defs) {
    const label = metricTitle(d);
    const rows = names.flatMap((v) => {
      const s = result.results[v]?.[d.path];
      if (!s) return [];
      // These metrics are never negative: an interval reaching below 0 (a near-zero mean, one replication
      // off zero) is cut at 0, which would otherwise pull the panel's axis far below its data.
      let low = s.low ?? s.mean;
      if (low < 0 && s.mean >= 0) {
        low = 0;
        cut = true;
      }
      return [{ metric: label, variant: v, mean: s.mean, low, high: s.high ?? s.mean }];
    });
    if (rows.length === 0) continue;
    // A metric that is exactly 0 everywhere gets no panel (an empty frame), only a mention in the subtitle.
    if (rows.every((r) => r.mean === 0 && r.low === 0 && r.high === 0)) {
      zero.push(d.label.toLowerCase());
      continue;
    }
    values.push(...rows);
    labels.push(label);
  }
  if (values.length === 0) return null;
  const title = 'Variants compared: mean with 95% confidence interval';
  const spec = topLevel(
    title,
    {
      data: { values },
      facet: {
        field: 'metric',
        type: 'nominal',
        sort: labels,
        title: null,
        header: { labelFontSize: 13, labelFontWeight: 'bold', labelPadding: 6 },
      },
      columns: 3,
      spec: {
        width: Math.max(170, 24 * names.length),
        height: 150,
        layer: [
          {
            mark: { type: 'bar', width: { band: 0.75 } },
            encoding: {
              x: {
                field: 'variant',
                type: 'nominal',
                sort: names,
                title: null,
                axis: { labelAngle: -40, labelFontSize: 11 },
              },
              y: { field: 'mean', type: 'quantitative', title: null, axis: { format: ',~r' } },
              color: modelColour(names, 'variant', 'Variant'),
            },
          },
          {
            mark: { type: 'errorbar', ticks: { width: 8 }, color: '#222', thickness: 1.5 },
            encoding: {
              x: { field: 'variant', type: 'nominal', sort: names },
              y: { field: 'low', type: 'quantitative', title: null },
              y2: { field: 'high' },
            },
          },
        ],
      },
      // Each panel its own x axis: a shared one is drawn once per column under the last row, so it hung
      // under the empty cell of an unfilled row (and shifted the rows' frames out of line).
      resolve: { scale: { y: 'independent' }, axis: { x: 'independent' } },
    },
    [
      `${result.replications} replications per variant (common random numbers); error bars: Student-t 95% CI${cut ? ', cut at 0' : ''}`,
      ...(zero.length > 0 ? [`Zero for every variant: ${zero.join(', ')}`] : []),
    ],
  );
  return { name: NAME, title, spec };
}
