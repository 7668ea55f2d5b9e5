/**
 * `routesim fidelity --benchmark DIR [--model-config FILE] [--models DIR] [--coefficients NAME|FILE|none] [--gpu G]
 * [--out OUTDIR] [--max-error PCT] [--seed N]`: simulate one measured inference-perf experiment and
 * compare it stage by stage; writes fidelity.json, fidelity.md and charts/fidelity-benchmark.* into --out
 * (default reports/fidelity/<experiment>/). Exit 1 when the median |error| of the E2E mean over the
 * stages exceeds --max-error (percent, default 10); 2 for a missing or malformed file (named with its field).
 */
import { join } from 'node:path';
import { EXIT_CHECK_FAILED, EXIT_OK, UserError } from '../core/errors.js';
import type { Io } from './command.js';
import { checkGpuSpecFlag } from './gpu-spec-flag.js';

export interface BenchmarkFidelityArgs {
  benchmark: string;
  'model-config'?: string;
  models?: string;
  coefficients?: string;
  gpu?: string;
  out?: string;
  'max-error'?: number;
  seed?: number;
  quiet?: boolean;
}

export async function benchmarkFidelity(argv: BenchmarkFidelityArgs, io: Io): Promise<number> {
  const maxError = argv['max-error'] ?? 10;
  if (!(maxError >= 0))
    throw new UserError(`--max-error must be a percentage >= 0, got ${argv['max-error']}`);
  if (argv.seed !== undefined && !Number.isSafeInteger(argv.seed))
    throw new UserError(`--seed must be a whole number, got ${argv.seed}`);
  const { readExperiment } = await import('../experiments/benchmark/measured.js');
  const { experimentScenario, predict } = await import('../experiments/benchmark/simulate.js');
  const { compareExperiment, medianAbsError } = await import('../experiments/benchmark/compare.js');
  const { benchFidelityChart, benchFidelityMarkdown } = await import('../experiments/benchmark/format.js');
  const { chosenCoefficients } = await import('../experiments/benchmark/import.js');
  const { isBuiltInProfile } = await import('../backends/sim/vllm/profiles.js');
  const exp = readExperiment(argv.benchmark);
  if (argv.gpu !== undefined) await checkGpuSpecFlag(argv.gpu);
  const coefficients = chosenCoefficients(exp, argv.coefficients, argv.gpu);
  const scenario = experimentScenario(exp, {
    ...(argv.models !== undefined ? { models: argv.models } : {}),
    ...(argv['model-config'] !== undefined ? { modelConfig: argv['model-config'] } : {}),
    ...(argv.gpu !== undefined ? { gpu: argv.gpu } : {}),
    ...(coefficients !== undefined ? { coefficients } : {}),
  });
  const fidelity = compareExperiment(exp, await predict(scenario, argv.seed));
  const used =
    coefficients === undefined
      ? 'none (the physics defaults)'
      : isBuiltInProfile(coefficients)
        ? `${coefficients} (shipped with routesim)`
        : coefficients;
  const dir = argv.out ?? join('reports', 'fidelity', exp.name);
  const chart = benchFidelityChart(fidelity);
  const { writeReportFolder } = await import('../report/formats.js');
  const inputs = [exp.dir, ...(coefficients && !isBuiltInProfile(coefficients) ? [coefficients] : [])];
  await writeReportFolder(
    { dir, label: '--out', inputs },
    {
      owned: ['fidelity.json', 'fidelity.md', 'charts'],
      marker: 'fidelity.json',
      texts: (pngs: string[] | null) => ({
        'fidelity.json': `${JSON.stringify(fidelity, null, 2)}\n`,
        'fidelity.md': benchFidelityMarkdown(fidelity, used, pngs ?? []),
      }),
      ...(chart
        ? {
            draw: async (stage: string) => {
              const { writeCharts } = await import('../report/charts/render.js');
              return (await writeCharts([chart], stage)).written.map((w) => w.png);
            },
          }
        : {}),
    },
  );
  const e2e = medianAbsError(fidelity, 'e2e_mean');
  const pass = e2e !== null && e2e * 100 <= maxError;
  if (!argv.quiet) {
    const p = (k: 'e2e_mean' | 'ttft_mean' | 'itl_mean' | 'e2e_p99') => {
      const v = medianAbsError(fidelity, k);
      return v === null ? '—' : `${(v * 100).toFixed(1)}%`;
    };
    io.stdout(
      `${exp.name}, coefficients ${used}: median |error| over stages: e2e mean ${p('e2e_mean')} (max ${maxError}%: ${pass ? 'pass' : 'FAIL'}), ` +
        `ttft mean ${p('ttft_mean')}, itl mean ${p('itl_mean')}, e2e p99 ${p('e2e_p99')}; simulated in ${fidelity.wall_s.toFixed(2)} s\n`,
    );
    io.stdout(`wrote ${dir}/fidelity.json, fidelity.md, charts/\n`);
  }
  return pass ? EXIT_OK : EXIT_CHECK_FAILED;
}
