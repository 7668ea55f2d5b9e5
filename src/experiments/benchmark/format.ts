/**
 * fidelity.md and the predicted-vs-measured chart of `fidelity --benchmark`: one row per stage and metric,
 * and a log-log scatter of every latency figure (predicted against measured, one colour per metric, the
 * diagonal is a perfect prediction).
 */
import { int, ms, NONE, num, pct, signed } from '../../core/format.js';
import { type ChartSpec, topLevel } from '../../report/charts/style.js';
import type { BenchFidelity } from './compare.js';
import { MEASURED_METRICS } from './measured.js';

/** A latency in ms, in seconds from 1 s up (`26.66 ms`, `2.03 s`). */
const latency = (v: number | null) =>
  v === null ? NONE : v >= 1000 ? `${num(v / 1000, { sig: 3, maxDecimals: 2 })} s` : `${ms(v)} ms`;

/**
 * fidelity.md. `coefficients` says what the simulation used (a shipped profile's name, a file, or the
 * physics defaults). No wall-clock figure: the same experiment, coefficients and seed give the same file
 * (the time it took is in fidelity.json's wall_s and on the command line).
 */
export function benchFidelityMarkdown(
  f: BenchFidelity,
  coefficients: string,
  pngs: readonly string[],
): string {
  const out = [`# Fidelity: ${f.experiment}`, '', `Coefficients: ${coefficients}.`, ''];
  out.push('| stage | rate | requests (pred / meas) | failed (pred / meas) |', '|---|---:|---:|---:|');
  for (const s of f.stages)
    out.push(
      `| ${s.stage} | ${s.rate === null ? NONE : num(s.rate)} | ${int(s.requests.predicted)} / ${int(s.requests.actual)} | ${int(s.failed.predicted)} / ${int(s.failed.actual)} |`,
    );
  out.push('', '| stage | metric | predicted | measured | error |', '|---|---|---:|---:|---:|');
  for (const s of f.stages)
    for (const k of MEASURED_METRICS) {
      const m = s.metrics[k];
      const e = m.error === null ? NONE : signed(m.error, pct);
      out.push(`| ${s.stage} | ${k} | ${latency(m.predicted)} | ${latency(m.actual)} | ${e} |`);
    }
  out.push('', '| metric | mean abs error over stages |', '|---|---:|');
  for (const k of MEASURED_METRICS) out.push(`| ${k} | ${pct(f.summary[k].mape)} |`);
  for (const p of pngs) out.push('', `![predicted vs measured](${p})`);
  return `${out.join('\n')}\n`;
}

/** Predicted against measured for every stage and metric (log-log, with the diagonal); null when empty. */
export function benchFidelityChart(f: BenchFidelity): ChartSpec | null {
  const values: { metric: string; stage: string; predicted: number; measured: number }[] = [];
  for (const s of f.stages) {
    if (s.stage === 'all') continue;
    for (const k of MEASURED_METRICS) {
      const m = s.metrics[k];
      if (m.predicted !== null && m.actual !== null && m.predicted > 0 && m.actual > 0)
        values.push({ metric: k, stage: String(s.stage), predicted: m.predicted, measured: m.actual });
    }
  }
  if (values.length === 0) return null;
  const all = values.flatMap((v) => [v.predicted, v.measured]);
  const lo = Math.min(...all) / 1.5;
  const hi = Math.max(...all) * 1.5;
  const scale = { type: 'log', domain: [lo, hi] };
  const title = 'Predicted vs measured latency';
  const spec = topLevel(
    title,
    {
      width: 420,
      height: 420,
      layer: [
        {
          data: {
            values: [
              { x: lo, y: lo },
              { x: hi, y: hi },
            ],
          },
          mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
          encoding: {
            x: { field: 'x', type: 'quantitative', scale },
            y: { field: 'y', type: 'quantitative', scale },
          },
        },
        {
          data: { values },
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x: { field: 'measured', type: 'quantitative', scale, title: 'Measured (ms, log scale)' },
            y: { field: 'predicted', type: 'quantitative', scale, title: 'Predicted (ms, log scale)' },
            color: { field: 'metric', type: 'nominal', title: 'Metric' },
            shape: { field: 'stage', type: 'nominal', title: 'Stage' },
          },
        },
      ],
    },
    // Two short lines: one long subtitle made the canvas as wide as itself, twice the plot's width.
    [f.experiment, "each point one stage's figure; on the dashed diagonal the prediction is exact"],
  );
  return { name: 'fidelity-benchmark', title, spec };
}
