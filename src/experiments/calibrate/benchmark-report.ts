/**
 * The per-experiment figures calibration and cross-validation print: each experiment simulated whole
 * with given coefficients and compared (benchmark/compare.ts), reduced to the median |error| over its
 * stages of the headline metrics and the failed share on both sides.
 */
import type { VllmCoefficients } from '../../core/engine-spec.js';
import { type BenchFidelity, compareExperiment, medianAbsError } from '../benchmark/compare.js';
import { isOverloaded } from '../benchmark/measured.js';
import { predict, withCoefficients } from '../benchmark/simulate.js';
import type { FitTarget } from './benchmark-fit.js';

export interface ExperimentErrors {
  experiment: string;
  overloaded: boolean;
  /** Median |error| over stages (fractions). */
  e2e_mean: number | null;
  e2e_p99: number | null;
  ttft_mean: number | null;
  itl_mean: number | null;
  /** Failed share over the whole run, measured and predicted. */
  failed_actual: number;
  failed_predicted: number;
  /** TTFT mean over the whole run (ms), measured and predicted. */
  ttft_all_actual: number | null;
  ttft_all_predicted: number | null;
  wall_s: number;
}

export async function experimentErrors(t: FitTarget, c: VllmCoefficients): Promise<ExperimentErrors> {
  const f: BenchFidelity = compareExperiment(t.exp, await predict(withCoefficients(t.scenario, c)));
  const all = f.stages[f.stages.length - 1];
  const share = (failed: number, n: number) => (n > 0 ? failed / n : 0);
  return {
    experiment: t.exp.name,
    overloaded: isOverloaded(t.exp),
    e2e_mean: medianAbsError(f, 'e2e_mean'),
    e2e_p99: medianAbsError(f, 'e2e_p99'),
    ttft_mean: medianAbsError(f, 'ttft_mean'),
    itl_mean: medianAbsError(f, 'itl_mean'),
    failed_actual: share(all.failed.actual, all.requests.actual),
    failed_predicted: share(all.failed.predicted, all.requests.predicted),
    ttft_all_actual: all.metrics.ttft_mean.actual,
    ttft_all_predicted: all.metrics.ttft_mean.predicted,
    wall_s: f.wall_s,
  };
}

const pct = (e: number | null) => (e === null ? '     —' : `${(e * 100).toFixed(1).padStart(5)}%`);

/** One line per experiment, for the terminal. */
export function formatErrors(rows: readonly ExperimentErrors[]): string {
  const out = [
    `${'experiment'.padEnd(48)}  e2e mean  e2e p99  ttft mean  itl mean  failed (pred/meas)  wall`,
  ];
  for (const r of rows)
    out.push(
      `${r.experiment.padEnd(48)}  ${pct(r.e2e_mean)}    ${pct(r.e2e_p99)}   ${pct(r.ttft_mean)}    ${pct(r.itl_mean)}   ${(r.failed_predicted * 100).toFixed(0).padStart(4)}% / ${(r.failed_actual * 100).toFixed(0).padStart(3)}%${r.overloaded ? ' (overloaded)' : '             '}  ${r.wall_s.toFixed(2)} s`,
    );
  return `${out.join('\n')}\n`;
}
