/**
 * Fidelity: the end-to-end latency CDF of each model, live (solid) against simulated (dashed), one colour
 * per model, so a reader sees at a glance where the latency model bends away from the real one.
 */

import { type ChartSpec, modelColour, topLevel } from '../../report/charts/style.js';
import type { FidelityResult } from './fidelity.js';

export const NAME = 'fidelity-cdf';

/** The overlay chart; null when neither run completed a request. */
export function fidelityCdfChart(
  f: FidelityResult,
  metric: 'e2e_ms' | 'ttft_ms' = 'e2e_ms',
): ChartSpec | null {
  const values: { model: string; run: string; ms: number; q: number }[] = [];
  const qs = f.cdf.quantiles;
  const ids = Object.keys(f.cdf.live[metric]);
  for (const [run, side] of [
    ['live', f.cdf.live],
    ['simulated', f.cdf.sim],
  ] as const) {
    for (const id of ids) {
      (side[metric][id] ?? []).forEach((ms, i) => {
        // As in latency-cdf.ts: no 0 ms point (a model with no completed request has all-zero quantiles).
        if (ms > 0 && qs[i] > 0) values.push({ model: id, run, ms, q: qs[i] });
      });
    }
  }
  if (values.length === 0) return null;
  const what = metric === 'e2e_ms' ? 'End-to-end latency' : 'Time to first token';
  const title = `${what}: live vs simulated (CDF)`;
  const head = f.summary.e2e_p50_ape_pct;
  const spec = topLevel(
    title,
    {
      width: 560,
      height: 300,
      data: { values },
      mark: { type: 'line', interpolate: 'monotone', point: { size: 14 } },
      encoding: {
        x: {
          field: 'ms',
          type: 'quantitative',
          title: `${what} (ms, log scale)`,
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
        order: { field: 'q', type: 'quantitative' },
      },
    },
    `${f.scenario}: solid = live (real models), dashed = simulated (calibrated profiles); ` +
      `median e2e error ${head === null ? 'n/a' : `${head.toFixed(1)}%`}`,
  );
  return { name: metric === 'e2e_ms' ? NAME : `${NAME}-ttft`, title, spec };
}
