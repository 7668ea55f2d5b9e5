/**
 * `routesim run FILE [--out DIR] [--seed N] [--strategy S] [--quiet]`: load the scenario (--strategy sets
 * router.strategy, --seed the seed), simulate it (a progress bar on stderr only when stderr is a
 * terminal), write report.json, run.json and summary.md, then charts/ and report.html, into --out (default
 * reports/<scenario name>/; see report/formats.ts for how the folder is replaced), and print a short summary
 * with the expectation results.
 * Exit: 0 ok; 1 an expectation failed (the report is still written in full); 2 invalid input; 3 an internal
 * error (a chart that fails to draw: the report is on disk, without charts).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Argv } from 'yargs';
import { EXIT_CHECK_FAILED, EXIT_OK, UserError } from '../core/errors.js';
import { int, ms, num, numBeside, pct, precisionOf, unitOfPath } from '../core/format.js';
import type { Report } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import type { Command, Io } from './command.js';
import { parseGpuOption } from './gpu-flag.js';
import { numberFlag } from './number-flag.js';
import { safeName } from './safe-name.js';
import { scenarioInputs } from './scenario-inputs.js';

interface RunArgs {
  file: string;
  out?: string;
  seed?: number | string;
  strategy?: string;
  quiet?: boolean;
  charts?: boolean;
  live?: boolean;
  speed?: number | string;
  gpu?: string;
}

export const command: Command<RunArgs> = {
  command: 'run <file>',
  describe: 'simulate a scenario and write report.json, run.json, summary.md, report.html and charts/',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the scenario file (YAML)' })
      .option('out', { type: 'string', describe: 'output folder (default reports/<scenario name>/)' })
      .option('seed', { type: 'string', describe: 'override the scenario seed' })
      .option('strategy', { type: 'string', describe: 'override router.strategy' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but problems' })
      .option('charts', {
        type: 'boolean',
        default: true,
        describe: 'draw charts/*.png|svg and report.html (--no-charts skips them: faster)',
      })
      .option('live', {
        type: 'boolean',
        default: false,
        describe:
          'live replay: real time, gguf models served by llama.cpp, openai models by their endpoints (src/run/live.ts)',
      })
      .option('speed', { type: 'string', describe: 'with --live: virtual ms per wall ms (default 1)' })
      .option('gpu', {
        type: 'string',
        describe: 'with --live: override every gguf model gpu: auto|cuda|vulkan|false',
      }),
  run: runCommand,
};

async function runCommand(argv: RunArgs, io: Io): Promise<number> {
  const seed = numberFlag('--seed', argv.seed, 'integer');
  numberFlag('--speed', argv.speed, 'positive');
  if (argv.speed !== undefined && !argv.live) {
    throw new UserError('--speed only applies to a live replay', [
      {
        file: argv.file,
        line: 0,
        column: 0,
        message: '--speed given without --live',
        suggestion: 'add --live',
      },
    ]);
  }
  const { loadScenarioFile, scenarioIssuesToUserError } = await import('../scenario/load.js');
  const overrides: Record<string, unknown> = {};
  if (argv.strategy !== undefined) overrides['router.strategy'] = argv.strategy;
  const loaded = loadScenarioFile(argv.file, { overrides, seed });
  if (!loaded.ok) throw scenarioIssuesToUserError(loaded.issues);
  const scenario = loaded.scenario;
  if (!argv.quiet) for (const w of loaded.warnings) io.stderr(`warning: ${formatWarning(w)}\n`);

  const { runScenario } = await import('../experiments/run-scenario.js');
  const live = argv.live === true;
  const bar = !argv.quiet && io.isTTY && !live ? await progressBar() : null;
  let result: Awaited<ReturnType<typeof runScenario>>;
  try {
    if (live) result = await runLiveCommand(scenario, argv, io);
    else
      result = await runScenario(scenario, {
        stopwatch: () => performance.now(),
        onProgress: bar ? (f) => bar.update(Math.round(f * 1000)) : undefined,
      });
  } finally {
    bar?.stop();
  }
  const { report, run } = result;
  const { writeRunReport } = await import('../report/formats.js');
  const dir = argv.out ?? join('reports', safeName(scenario.name));
  const charts = argv.charts !== false;
  await writeRunReport({ dir, label: '--out', inputs: scenarioInputs(scenario) }, report, run, { charts });

  const failed = report.expectations.filter((e) => !e.pass).length;
  // report/tables.js (and the event kinds and zod schemas behind it) only when the summary is printed: a
  // static import would load them for every command, `--help` included.
  if (!argv.quiet) {
    const { skippedLine } = await import('../report/tables.js');
    io.stdout(shortSummary(report, run.wall_ms, dir, argv.charts !== false, skippedLine));
  } else for (const e of report.expectations.filter((x) => !x.pass)) io.stderr(`FAIL ${expectLine(e)}\n`);
  return failed > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}

/** --live: the scenario replayed in real time with its gguf and openai models served for real. */
async function runLiveCommand(scenario: Scenario, argv: RunArgs, io: Io) {
  const speed = numberFlag('--speed', argv.speed, 'positive') ?? 1;
  const gpu = parseGpuOption(argv.gpu);
  const { runLiveScenario } = await import('../experiments/run-scenario.js');
  return runLiveScenario(scenario, {
    speed,
    ...(gpu !== undefined ? { gpu } : {}),
    onLog: argv.quiet ? undefined : (line) => io.stderr(`live: ${line}\n`),
  });
}

function formatWarning(w: unknown): string {
  if (typeof w === 'string') return w;
  const p = w as { file?: string; line?: number; column?: number; message?: string };
  if (p && typeof p.message === 'string')
    return p.line ? `${p.file}:${p.line}:${p.column}: ${p.message}` : p.message;
  return String(w);
}

async function progressBar(): Promise<{ update(v: number): void; stop(): void }> {
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'simulating [{bar}] {percentage}% | ETA {eta}s',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1000, 0);
  return bar;
}

function expectLine(e: Report['expectations'][number]): string {
  const actual =
    e.actual === null ? 'missing' : numBeside(e.actual, e.value, precisionOf(unitOfPath(e.metric)));
  return `${e.metric} ${e.op} ${num(e.value, { sig: 15, maxDecimals: 15 })} (actual ${actual})`;
}

/** Models named in the share line before the rest are summed (the charts draw as many). */
const SHARE_LINE_MODELS = 10;

/** `a 29.4%, b 41.5%`; with many models the busiest, then `990 others 60.2%`. */
function shareLine(r: Report): string {
  const all = Object.entries(r.models);
  if (all.length <= SHARE_LINE_MODELS) return all.map(([id, m]) => `${id} ${pct(m.share)}`).join(', ');
  const top = [...all].sort((a, b) => b[1].attempts - a[1].attempts).slice(0, SHARE_LINE_MODELS);
  const rest = all.length - top.length;
  const restShare = 1 - top.reduce((s, [, m]) => s + m.share, 0);
  return `${top.map(([id, m]) => `${id} ${pct(m.share)}`).join(', ')}, ${int(rest)} others ${pct(Math.max(0, restShare))}`;
}

/** What the run measured, with the figures as summary.md and report.html print them (core/format.ts). */
function shortSummary(
  r: Report,
  wallMs: number,
  dir: string,
  charts: boolean,
  skippedLine: (rows: number) => string,
): string {
  const q = r.requests;
  const e2e = r.latency.e2e_ms;
  const lines = [
    `${r.scenario}: ${int(q.total)} requests, ${int(q.completed)} completed, ${int(q.failed)} failed, ${int(q.rejected)} rejected` +
      `${q.in_flight_at_horizon > 0 ? `, ${int(q.in_flight_at_horizon)} in flight at the horizon` : ''}` +
      ` (strategy ${r.strategy}, seed ${r.seed}, ${num(wallMs / 1000, { sig: 3, maxDecimals: 2 })} s wall clock)`,
    ...(q.skipped_rows > 0 ? [skippedLine(q.skipped_rows)] : []),
    e2e.count === 0
      ? 'latency — (no completed requests)'
      : `latency e2e p50 ${ms(e2e.p50)} ms, p99 ${ms(e2e.p99)} ms; ttft p50 ${ms(r.latency.ttft_ms.p50)} ms, p99 ${ms(r.latency.ttft_ms.p99)} ms`,
    `share: ${shareLine(r)}`,
  ];
  for (const e of r.expectations) lines.push(`${e.pass ? 'pass' : 'FAIL'} ${expectLine(e)}`);
  lines.push(`wrote ${dir}/report.json, run.json, summary.md${charts ? ', report.html, charts/' : ''}`);
  return `${lines.join('\n')}\n`;
}
