/**
 * `routesim calibrate --benchmark DIR... [--out FILE] [--per-model] [--exclude-overloaded] [--models DIR]
 * [--gpu G] [--window S] [--max-evals N] [--refine-evals N] [--fit KEY,...]`: fit the vLLM engine's coefficients to measured inference-perf
 * experiments by simulation (experiments/calibrate/benchmark-fit.ts): one cross-model set over every
 * experiment, plus one set per model with --per-model; print the fit error per experiment and write the
 * coefficients file (default reports/calibrate/coefficients.json). Each fit runs on the stages' first
 * --window seconds, then refines the step-time coefficients on whole stages for --refine-evals
 * evaluations (benchmark-fit.ts). Each DIR is an experiment folder or a
 * folder of them. Overloaded runs are fitted on their failed share and TTFT unless excluded; they are
 * always predicted and printed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { openAtomic } from '../core/output/atomic-file.js';
import type { Io } from './command.js';
import { scenarioInputs } from './scenario-inputs.js';

export interface BenchmarkCalibrateArgs {
  benchmark: string[];
  out?: string;
  'per-model'?: boolean;
  'exclude-overloaded'?: boolean;
  models?: string;
  gpu?: string;
  window?: number;
  'max-evals'?: number;
  /** Evaluations of the refinement on whole stages (default 60; 0 = none). */
  'refine-evals'?: number;
  /** Comma-separated coefficient names to fit (default all; the others keep the physics defaults). */
  fit?: string;
  quiet?: boolean;
}

export async function benchmarkCalibrate(argv: BenchmarkCalibrateArgs, io: Io): Promise<number> {
  const window_s = argv.window ?? 120;
  if (!(window_s > 0)) throw new UserError(`--window must be seconds > 0, got ${argv.window}`);
  const maxEvals = argv['max-evals'] ?? 200;
  if (!(Number.isInteger(maxEvals) && maxEvals >= 1 && maxEvals <= 100_000))
    throw new UserError(`--max-evals must be a whole number from 1 to 100000, got ${argv['max-evals']}`);
  const refineEvals = argv['refine-evals'] ?? 60;
  if (!(Number.isInteger(refineEvals) && refineEvals >= 0 && refineEvals <= 100_000))
    throw new UserError(
      `--refine-evals must be a whole number from 0 to 100000, got ${argv['refine-evals']}`,
    );
  const { experimentDirs, readExperiment, isOverloaded } = await import(
    '../experiments/benchmark/measured.js'
  );
  const { experimentScenario } = await import('../experiments/benchmark/simulate.js');
  const { configName } = await import('../experiments/benchmark/import.js');
  const { fitCoefficients, wholeStageRefine } = await import('../experiments/calibrate/benchmark-fit.js');
  const { experimentErrors, formatErrors } = await import('../experiments/calibrate/benchmark-report.js');
  const { writeCoefficientsFile, COEFFICIENT_KEYS } = await import('../backends/sim/vllm/coefficients.js');
  const keys = (argv.fit ?? COEFFICIENT_KEYS.join(',')).split(',').map((k) => k.trim());
  const unknown = keys.filter((k) => !(COEFFICIENT_KEYS as string[]).includes(k));
  if (unknown.length > 0) {
    const { closest } = await import('../scenario/suggest.js');
    const named = unknown.map((k) => {
      const near = closest(k, COEFFICIENT_KEYS);
      return `'${k}'${near ? ` (did you mean ${near}?)` : ''}`;
    });
    throw new UserError(
      `--fit: unknown coefficient ${named.join(', ')}; known: ${COEFFICIENT_KEYS.join(', ')}`,
    );
  }
  const fitKeys = keys as typeof COEFFICIENT_KEYS;
  const refine = wholeStageRefine(refineEvals, fitKeys);
  const say = argv.quiet ? () => undefined : (s: string) => io.stderr(`calibrate: ${s}\n`);

  const dirs = argv.benchmark.flatMap((d) => experimentDirs(d));
  const targets = dirs.map((d) => {
    const exp = readExperiment(d);
    const opts = {
      ...(argv.models !== undefined ? { models: argv.models } : {}),
      ...(argv.gpu !== undefined ? { gpu: argv.gpu } : {}),
    };
    return { exp, scenario: experimentScenario(exp, opts) };
  });
  const gpus = new Set(targets.map((t) => engineOf(t.scenario).gpu_spec.name));
  if (gpus.size > 1)
    throw new UserError(
      `the experiments run on different GPUs (${[...gpus].join(', ')}); calibrate one GPU at a time`,
    );
  // Every file the fit reads is an input (`--out DIR/exp-config.yaml` once replaced it), and the path is
  // tried before the fit's minutes of CPU, not after.
  const out = argv.out ?? join('reports', 'calibrate', 'coefficients.json');
  const inputs = [
    ...dirs.flatMap((d) => readdirSync(d).map((f) => join(d, f))),
    ...targets.flatMap((t) => scenarioInputs(t.scenario)),
  ];
  openAtomic(out, { label: '--out', inputs }).abort();
  const fitOn = argv['exclude-overloaded'] ? targets.filter((t) => !isOverloaded(t.exp)) : targets;
  if (fitOn.length === 0) throw new UserError('no experiment left to fit (all are overloaded and excluded)');
  const cpu0 = process.cpuUsage();
  say(
    `fitting one set over ${fitOn.length} experiment(s), ${window_s} s of each stage` +
      (refineEvals > 0 ? `, then ${refineEvals} evaluations of the step-time ones on whole stages` : ''),
  );
  const cross = await fitCoefficients(fitOn, {
    window_s,
    maxEvals,
    refine,
    keys: fitKeys,
    onEval: (_c, s, n) => {
      if (n % 20 === 0) say(`  ${n} evaluations, score ${s.toFixed(4)}`);
    },
  });
  const per_model: Record<string, typeof cross.coefficients> = {};
  if (argv['per-model']) {
    const names = [...new Set(fitOn.map((t) => configName(t.exp)))].sort();
    for (const name of names) {
      say(`fitting ${name}`);
      const r = await fitCoefficients(
        fitOn.filter((t) => configName(t.exp) === name),
        { window_s, maxEvals, refine, start: cross.coefficients, keys: fitKeys },
      );
      per_model[engineOf(fitOn.find((t) => configName(t.exp) === name)!.scenario).arch.name] = r.coefficients;
    }
  }
  const rows = [];
  for (const t of targets) {
    const arch = engineOf(t.scenario).arch.name;
    rows.push(await experimentErrors(t, per_model[arch] ?? cross.coefficients));
  }
  const cpu = process.cpuUsage(cpu0);
  const round = (c: typeof cross.coefficients) =>
    Object.fromEntries(
      Object.entries(c).map(([k, v]) => [k, Number(v.toPrecision(6))]),
    ) as unknown as typeof c;
  writeCoefficientsFile(
    out,
    {
      kind: 'routesim-vllm-coefficients',
      version: 1,
      gpu: [...gpus][0],
      coefficients: round(cross.coefficients),
      fitted_on: fitOn.map((t) => t.exp.name),
      ...(argv['per-model']
        ? { per_model: Object.fromEntries(Object.entries(per_model).map(([k, v]) => [k, round(v)])) }
        : {}),
      fit: {
        score: Number(cross.score.toPrecision(6)),
        evaluations: cross.evals,
        window_s,
        ...(refineEvals > 0 ? { refine_evals_whole_stages: refineEvals } : {}),
      },
    },
    { label: '--out', inputs },
  );
  io.stdout(formatErrors(rows));
  io.stdout(
    `fit: ${cross.evals} evaluations, score ${cross.score.toFixed(4)}, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; wrote ${out}\n`,
  );
  return 0;
}

function engineOf(s: import('../scenario/types.js').Scenario) {
  const l = s.models[0].latency;
  if (l.model !== 'engine') throw new Error('an imported experiment has an engine model');
  return l.engine;
}
