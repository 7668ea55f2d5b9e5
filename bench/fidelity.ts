/**
 * `npm run bench:fidelity`: the accuracy of the vLLM engine model on the measured H100 runs
 * (data/vllm-h100/), cross-validated, and its speed. Prints the table the README quotes and writes
 * reports/bench/fidelity.json.
 *
 * - leave-one-experiment-out: each experiment predicted by coefficients fitted to the others;
 * - leave-one-model-out: each model's experiments predicted by coefficients fitted to the other models';
 * - zero-shot: the physics defaults, no fit;
 * - in-sample: one fit to every experiment (what profiles/h100-vllm.json ships), for reference only.
 * Fits are on the non-overloaded runs (calibrate --exclude-overloaded); every run is predicted.
 * Per experiment the figure is the median |error| over its stages; the table gives the median over the
 * non-overloaded runs, and for the overloaded ones whether they are predicted overloaded (TTFT mean above
 * 30 s, failed share within 10 points). Speed: the median wall time of simulating one whole experiment,
 * and the CPU time of the in-sample fit. FIDELITY_BENCH_EVALS (default 120), FIDELITY_BENCH_WINDOW
 * (seconds of each stage simulated while fitting, default 120) and FIDELITY_BENCH_REFINE (evaluations of
 * the refinement of the step-time coefficients on whole stages that follows, default 60; 0 = none) trade time for fit quality;
 * FIDELITY_BENCH_KEYS=step_overhead_ms,... fits only those coefficients (the others stay at the physics
 * defaults).
 */
import { join } from 'node:path';
import { PHYSICS_DEFAULTS } from '../src/backends/sim/vllm/coefficients.js';
import type { VllmCoefficients } from '../src/core/engine-spec.js';
import { configName } from '../src/experiments/benchmark/import.js';
import { experimentDirs, isOverloaded, readExperiment } from '../src/experiments/benchmark/measured.js';
import { experimentScenario } from '../src/experiments/benchmark/simulate.js';
import {
  type FitTarget,
  fitCoefficients,
  wholeStageRefine,
} from '../src/experiments/calibrate/benchmark-fit.js';
import {
  type ExperimentErrors,
  experimentErrors,
  formatErrors,
} from '../src/experiments/calibrate/benchmark-report.js';
import { loadLine, writeResults } from './results.js';

const DATA = join(import.meta.dirname, '..', 'data', 'vllm-h100', 'experiments');
const EVALS = Number(process.env.FIDELITY_BENCH_EVALS ?? 120);
const WINDOW = Number(process.env.FIDELITY_BENCH_WINDOW ?? 120);
const REFINE = Number(process.env.FIDELITY_BENCH_REFINE ?? 60);
/** Coefficients fitted (comma-separated; default all eight). */
const KEYS = process.env.FIDELITY_BENCH_KEYS
  ? (process.env.FIDELITY_BENCH_KEYS.split(',') as (keyof VllmCoefficients)[])
  : undefined;

const targets: FitTarget[] = experimentDirs(DATA).map((d) => {
  const exp = readExperiment(d);
  return { exp, scenario: experimentScenario(exp) };
});
const fitPool = targets.filter((t) => !isOverloaded(t.exp));

async function fitTo(on: FitTarget[]): Promise<VllmCoefficients> {
  return (
    await fitCoefficients(on, {
      window_s: WINDOW,
      maxEvals: EVALS,
      refine: wholeStageRefine(REFINE, KEYS),
      ...(KEYS ? { keys: KEYS } : {}),
    })
  ).coefficients;
}

const median = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
};

interface Row {
  name: string;
  rows: ExperimentErrors[];
}

async function main() {
  const results: Row[] = [];
  const log = (s: string) => console.error(`bench:fidelity: ${s}`);

  log('zero-shot');
  const zero: ExperimentErrors[] = [];
  for (const t of targets) zero.push(await experimentErrors(t, { ...PHYSICS_DEFAULTS }));
  results.push({ name: 'zero-shot (physics defaults)', rows: zero });

  log('in-sample fit');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const all = await fitTo(fitPool);
  const fitCpu = process.cpuUsage(cpu0);
  const fitWall = (performance.now() - t0) / 1000;
  const inSample: ExperimentErrors[] = [];
  for (const t of targets) inSample.push(await experimentErrors(t, all));
  results.push({ name: 'in-sample (one fit to all)', rows: inSample });

  const loeo: ExperimentErrors[] = [];
  for (const t of targets) {
    log(`leave out ${t.exp.name}`);
    loeo.push(await experimentErrors(t, await fitTo(fitPool.filter((o) => o !== t))));
  }
  results.push({ name: 'leave-one-experiment-out', rows: loeo });

  const lomo: ExperimentErrors[] = [];
  for (const name of [...new Set(targets.map((t) => configName(t.exp)))].sort()) {
    log(`leave out model ${name}`);
    const c = await fitTo(fitPool.filter((o) => configName(o.exp) !== name));
    for (const t of targets.filter((o) => configName(o.exp) === name))
      lomo.push(await experimentErrors(t, c));
  }
  results.push({ name: 'leave-one-model-out', rows: lomo });

  // Speed: one whole experiment (the largest, 16,800 requests), median of 5 runs.
  const big = targets.reduce((a, b) =>
    b.exp.stages.at(-1)!.successes > a.exp.stages.at(-1)!.successes ? b : a,
  );
  const walls: number[] = [];
  for (let i = 0; i < 5; i++) walls.push((await experimentErrors(big, all)).wall_s);
  const simWall = median(walls)!;

  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const table = [
    '| validation | E2E mean | TTFT mean | ITL mean | E2E p99 | overloaded runs predicted overloaded |',
    '|---|---|---|---|---|---|',
  ];
  const summary = results.map(({ name, rows }) => {
    const ok = rows.filter((r) => !r.overloaded);
    const over = rows.filter((r) => r.overloaded);
    const predictedOver = over.filter(
      (r) => (r.ttft_all_predicted ?? 0) > 30_000 && Math.abs(r.failed_predicted - r.failed_actual) <= 0.1,
    ).length;
    const s = {
      validation: name,
      e2e_mean: median(ok.map((r) => r.e2e_mean)),
      ttft_mean: median(ok.map((r) => r.ttft_mean)),
      itl_mean: median(ok.map((r) => r.itl_mean)),
      e2e_p99: median(ok.map((r) => r.e2e_p99)),
      overloaded_predicted: `${predictedOver} of ${over.length}`,
    };
    table.push(
      `| ${name} | ${pct(s.e2e_mean)} | ${pct(s.ttft_mean)} | ${pct(s.itl_mean)} | ${pct(s.e2e_p99)} | ${s.overloaded_predicted} |`,
    );
    return s;
  });
  for (const { name, rows } of results) console.log(`\n${name}\n${formatErrors(rows)}`);
  console.log(`\nMedian |error| over the non-overloaded runs (per run: median over its stages)\n`);
  console.log(table.join('\n'));
  console.log(
    `\nOne experiment (${big.exp.name}, ${big.exp.stages.at(-1)!.successes} requests) simulated in ${simWall.toFixed(2)} s (median of 5); ` +
      `the in-sample fit (${EVALS} evaluations max on ${WINDOW} s windows, then ${REFINE} on whole stages, ${fitPool.length} runs) took ` +
      `${((fitCpu.user + fitCpu.system) / 1e6).toFixed(1)} s CPU, ${fitWall.toFixed(1)} s wall`,
  );
  console.log(loadLine());
  writeResults('fidelity', {
    settings: { max_evals: EVALS, window_s: WINDOW, refine_evals: REFINE, keys: KEYS ?? 'all' },
    summary,
    experiments: Object.fromEntries(results.map((r) => [r.name, r.rows])),
    in_sample_coefficients: all,
    speed: {
      experiment: big.exp.name,
      simulate_wall_s: simWall,
      fit_cpu_s: (fitCpu.user + fitCpu.system) / 1e6,
      fit_wall_s: fitWall,
    },
  });
}

await main();
