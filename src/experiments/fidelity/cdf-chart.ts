/**
 * Fidelity: the end-to-end latency CDF of each model, live (solid) against simulated (dashed), one colour
 * per model, so a reader sees at a glance where the latency model bends away from the real one.
 */

import { addCdfCurve, type CdfPoint, cdfPlot } from '../../report/charts/cdf.js';
import { type ChartSpec, modelColour, topLevel } from '../../report/charts/style.js';
import type { FidelityResult } from './fidelity.js';
import { errorPct } from './format.js';

const NAME = 'fidelity-cdf';

/** The overlay chart; null when neither run completed a request. */
export function fidelityCdfChart(
  f: FidelityResult,
  metric: 'e2e_ms' | 'ttft_ms' = 'e2e_ms',
): ChartSpec | null {
  const values: CdfPoint<{ model: string; run: string }>[] = [];
  const ids = Object.keys(f.cdf.live[metric]);
  for (const [run, side] of [
    ['live', f.cdf.live],
    ['simulated', f.cdf.sim],
  ] as const) {
    for (const id of ids) addCdfCurve(values, { model: id, run }, side[metric][id] ?? [], f.cdf.quantiles);
  }
  if (values.length === 0) return null;
  const what = metric === 'e2e_ms' ? 'End-to-end latency' : 'Time to first token';
  const title = `${what}: live vs simulated (CDF)`;
  const head = f.summary.e2e_p50_ape_pct;
  const spec = topLevel(
    title,
    cdfPlot({
      width: 560,
      height: 300,
      pointSize: 14,
      xTitle: `${what} (ms, log scale)`,
      values,
      color: modelColour(ids),
      encoding: {
        strokeDash: {
          field: 'run',
          type: 'nominal',
          title: 'Run',
          scale: {
            domain: ['live', 'simulated'],
            range: [
              [1, 0],
              [6, 4],
            ],
          },
        },
        detail: { field: 'run' },
      },
    }),
    `${f.scenario}: solid = live (real models), dashed = simulated (calibrated profiles); ` +
      `median e2e error ${errorPct(head)}`,
  );
  return { name: metric === 'e2e_ms' ? NAME : `${NAME}-ttft`, title, spec };
}
