/**
 * `routesim fidelity --benchmark DIR ...`: see fidelity-benchmark.ts.
 * `routesim fidelity FILE [--out DIR] [--speed X] [--max-error PCT] [--repeat N] [--strict] [--gpu G]
 * [--threads N]`: run the scenario's traffic live (real gguf models) N times (default 3) and simulated
 * (each gguf model with its calibrated profile, calibrating first where MODEL.profile.json is missing),
 * and write fidelity.json, fidelity.md and charts/fidelity-cdf.{png,svg,vl.json} (+ the TTFT one) into
 * --out (default reports/<name>/fidelity/). The verdict weighs the median end-to-end error against
 * --max-error (default 10%) and the live runs' own spread (experiments/fidelity/noise.ts).
 * Exit: 0 pass, or inconclusive (the machine too noisy to judge; 1 with --strict); 1 fail; 2 invalid input.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT_CHECK_FAILED, EXIT_OK, UserError } from '../core/errors.js';
import { DEFAULT_REPEAT } from '../experiments/fidelity/noise.js';
import type { Command, Io } from './command.js';
import { parseGpuOption } from './gpu-flag.js';
import { safeName } from './safe-name.js';
import { scenarioInputs } from './scenario-inputs.js';

interface FidelityArgs {
  file?: string;
  benchmark?: string;
  'model-config'?: string;
  models?: string;
  coefficients?: string;
  seed?: number;
  out?: string;
  speed?: number;
  'max-error'?: number;
  gpu?: string;
  threads?: number;
  quiet?: boolean;
  recalibrate?: boolean;
  repeat?: number;
  strict?: boolean;
}

/** Most live runs one command may ask for (each replays the whole scenario in wall time). */
const MAX_REPEAT = 20;

export const command: Command<FidelityArgs> = {
  command: 'fidelity [file]',
  describe:
    'run a scenario live and simulated, or (--benchmark) simulate a measured inference-perf experiment, and report the error per metric',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', describe: 'the scenario file (YAML); not with --benchmark' })
      .option('benchmark', {
        type: 'string',
        describe: 'a measured inference-perf experiment folder to simulate and compare with',
      })
      .option('model-config', { type: 'string', describe: '--benchmark: the model config.json' })
      .option('models', {
        type: 'string',
        describe: '--benchmark: folder of <model>/config.json (default: models/ beside the experiments)',
      })
      .option('coefficients', {
        type: 'string',
        describe:
          '--benchmark: a shipped profile (h100-vllm), a coefficients file, or none for the physics defaults (default: the shipped profile fitted on the GPU, if any)',
      })
      .option('seed', { type: 'number', describe: '--benchmark: the simulation seed (default 1)' })
      .option('out', {
        type: 'string',
        describe:
          'output folder (default reports/<scenario name>/fidelity/; --benchmark: reports/fidelity/<experiment>/)',
      })
      .option('speed', { type: 'number', describe: 'live replay speed, virtual ms per wall ms (default 1)' })
      .option('max-error', {
        type: 'number',
        describe: 'largest median end-to-end error, in percent, that passes (default 10)',
      })
      .option('repeat', {
        type: 'number',
        describe: `live runs of the same traffic, 1..${MAX_REPEAT} (default ${DEFAULT_REPEAT}); their spread is the machine's noise`,
      })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe: 'exit 1 on an inconclusive verdict (a machine too noisy to judge) as on a fail',
      })
      .option('gpu', {
        type: 'string',
        describe:
          "override every gguf model's gpu: auto|cuda|vulkan|false; --benchmark: the GPU spec (built-in name or JSON)",
      })
      .option('threads', { type: 'number', describe: 'llama.cpp CPU threads' })
      .option('recalibrate', {
        type: 'boolean',
        default: false,
        describe: 'calibrate each gguf model now, even when MODEL.profile.json exists',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but problems' }),
  run: fidelityCommand,
};

async function fidelityCommand(argv: FidelityArgs, io: Io): Promise<number> {
  if (argv.benchmark !== undefined) {
    if (argv.file !== undefined) throw new UserError('give a scenario FILE or --benchmark DIR, not both');
    const { benchmarkFidelity } = await import('./fidelity-benchmark.js');
    return benchmarkFidelity({ ...argv, benchmark: argv.benchmark }, io);
  }
  if (argv.file === undefined) throw new UserError('fidelity needs a scenario FILE, or --benchmark DIR');
  const file = argv.file;
  const speed = argv.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new UserError(`--speed must be a number > 0, got ${argv.speed}`);
  const maxError = argv['max-error'] ?? 10;
  if (!(maxError >= 0)) throw new UserError(`--max-error must be a number >= 0, got ${argv['max-error']}`);
  const repeat = argv.repeat ?? DEFAULT_REPEAT;
  if (!(Number.isInteger(repeat) && repeat >= 1 && repeat <= MAX_REPEAT))
    throw new UserError(`--repeat must be a whole number from 1 to ${MAX_REPEAT}, got ${argv.repeat}`);
  const gpu = parseGpuOption(argv.gpu);
  const { loadScenarioFile, scenarioIssuesToUserError } = await import('../scenario/load.js');
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw scenarioIssuesToUserError(loaded.issues);
  const scenario = loaded.scenario;
  if (!scenario.models.some((m) => m.backend === 'gguf' && m.gguf !== null))
    throw new UserError(`${file}: fidelity needs at least one \`backend: gguf\` model with a \`path:\``);
  const say = argv.quiet ? () => undefined : (line: string) => io.stderr(`fidelity: ${line}\n`);
  const { runFidelity } = await import('../experiments/fidelity/run-fidelity.js');
  const { fidelity } = await runFidelity(scenario, {
    speed,
    max_error_pct: maxError,
    repeat,
    recalibrate: argv.recalibrate === true,
    ...(gpu !== undefined ? { gpu } : {}),
    ...(argv.threads !== undefined ? { threads: argv.threads } : {}),
    onLog: say,
  });
  const dir = argv.out ?? join('reports', safeName(scenario.name), 'fidelity');
  const { fidelityCdfChart } = await import('../experiments/fidelity/cdf-chart.js');
  const { fidelityMarkdown, errorPct: p } = await import('../experiments/fidelity/format.js');
  const { writeReportFolder } = await import('../report/formats.js');
  const charts = [fidelityCdfChart(fidelity, 'e2e_ms'), fidelityCdfChart(fidelity, 'ttft_ms')].filter(
    (c) => c !== null,
  );
  await writeReportFolder(
    { dir, label: '--out', inputs: scenarioInputs(scenario) },
    {
      owned: ['fidelity.json', 'fidelity.md', 'charts'],
      marker: 'fidelity.json',
      texts: (pngs: string[] | null) => ({
        'fidelity.json': `${JSON.stringify(fidelity, null, 2)}\n`,
        'fidelity.md': fidelityMarkdown(fidelity, pngs ?? []),
      }),
      draw: async (stage: string) => {
        const { writeCharts } = await import('../report/charts/render.js');
        return (await writeCharts(charts, stage)).written.map((w) => w.png);
      },
    },
  );
  const s = fidelity.summary;
  const word = s.verdict === 'pass' ? 'pass' : s.verdict === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
  const shares = fidelity.machine?.cpu_share ?? [];
  if (!argv.quiet) {
    io.stdout(
      `${scenario.name}: median e2e error ${p(s.e2e_p50_ape_pct)} (max ${maxError}%: ${word}); ` +
        `median over latency metrics ${p(s.latency_median_ape_pct)}, largest ${p(s.latency_max_ape_pct)}\n`,
    );
    io.stdout(
      `  noise: ${s.live_runs} live run${s.live_runs > 1 ? 's' : ''}, median e2e spread ${p(s.noise_pct)}; ` +
        `CPU share ${shares.map((x) => x.toFixed(2)).join(' ')}; ${word}: ${s.verdict_reason}\n`,
    );
    io.stdout(`wrote ${dir}/fidelity.json, fidelity.md, charts/\n`);
  } else if (s.verdict !== 'pass') {
    io.stderr(`${word} median e2e error ${p(s.e2e_p50_ape_pct)}: ${s.verdict_reason}\n`);
  }
  if (s.verdict === 'pass') return EXIT_OK;
  if (s.verdict === 'inconclusive' && !argv.strict) return EXIT_OK;
  return EXIT_CHECK_FAILED;
}
