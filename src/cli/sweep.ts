/**
 * `routesim sweep FILE --set key=v1,v2 [--set key2=a,b ...] [--replications N] [--workers N] [--metric M]
 * [--out DIR] [--shard K/N] [--seed N]`: the cartesian grid of the --set axes × N replications (common
 * random numbers: replication r has the same seed in every variant), run on worker threads. Writes
 * sweep.json, sweep.md and charts/sweep-heatmap.* into --out (default reports/<scenario>/sweep/); with
 * --shard, only this shard's cells and sweep-shard-K-of-N.json (join them with `routesim merge`).
 * Exit: 0 ok; 2 invalid input (a bad --set value names its key, a bad flag, a bad scenario).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Argv } from 'yargs';
import { EXIT_OK } from '../core/errors.js';
import type { Command, Io } from './command.js';
import { numberFlag } from './number-flag.js';
import { counted, rankingLines } from './ranking.js';
import { safeName } from './safe-name.js';

export interface SweepArgs {
  file: string;
  set: string[];
  replications: number | string;
  workers?: number | string;
  metric?: string;
  out?: string;
  shard?: string;
  seed?: number | string;
  quiet?: boolean;
}

export const command: Command<SweepArgs> = {
  command: 'sweep <file>',
  describe: 'run a grid of config overrides × replications on worker threads, with a heatmap',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the scenario file (YAML)' })
      .option('set', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'an axis: dotted key and comma-separated values (repeat for more axes)',
      })
      .option('replications', { type: 'string', default: 3, describe: 'replications per variant' })
      .option('workers', { type: 'string', describe: 'worker threads (default: available cores)' })
      .option('metric', {
        type: 'string',
        describe: 'heatmap and ranking metric (default latency.e2e_ms.p99)',
      })
      .option('out', { type: 'string', describe: 'output folder (default reports/<scenario>/sweep/)' })
      .option('shard', { type: 'string', describe: 'run only shard K of N (K/N), for `routesim merge`' })
      .option('seed', { type: 'string', describe: 'base seed (default: the scenario seed)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but problems' }),
  run: sweepCommand,
};

/** The command, callable from tests. */
export async function sweepCommand(argv: SweepArgs, io: Io): Promise<number> {
  const replications = numberFlag('--replications', argv.replications, 'positive-integer') as number;
  const workersFlag = numberFlag('--workers', argv.workers, 'positive-integer');
  const seed = numberFlag('--seed', argv.seed, 'integer');
  const sw = await import('../experiments/sweep/index.js');
  const shard = argv.shard === undefined ? undefined : sw.parseShard(argv.shard);
  const plan = sw.planSweep({
    file: argv.file,
    sets: argv.set ?? [],
    replications,
    seed,
    metric: argv.metric,
  });
  const mine = sw.cellsOf(plan, shard);
  const workers = workersFlag ?? sw.defaultWorkers();
  const bar = !argv.quiet && io.isTTY ? await progressBar(mine.length) : null;
  const t0 = performance.now();
  let results: Awaited<ReturnType<typeof sw.runSweepCells>>;
  try {
    results = await sw.runSweepCells(plan, shard, {
      workers,
      onCell: (_r, done) => bar?.update(done),
    });
  } finally {
    bar?.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  const base = join('reports', safeName(plan.definition.scenario));
  const say = (s: string) => {
    if (!argv.quiet) io.stdout(s);
  };
  const what = `${counted(plan.variants.length, 'variant')} × ${counted(plan.definition.replications, 'replication')}`;
  if (shard) {
    const dir = argv.out ?? join(base, `sweep-shard-${shard.k}-of-${shard.n}`);
    const path = await sw.writeShardFile(plan, shard, results, dir);
    say(
      `sweep ${plan.definition.scenario} shard ${shard.k}/${shard.n}: ${results.length} of ${plan.cells.length} runs ` +
        `(${what}) in ${seconds.toFixed(1)} s on ${Math.min(workers, Math.max(1, results.length))} worker(s)\n`,
    );
    say(`wrote ${path}; join every shard with: routesim merge <shard folders...>\n`);
    return EXIT_OK;
  }
  const result = sw.buildSweepResult(plan.definition, plan.variants, results);
  const dir = argv.out ?? join(base, 'sweep');
  await sw.writeSweep(result, dir, { label: '--out', inputs: [argv.file] });
  say(
    `sweep ${plan.definition.scenario}: ${what} = ${results.length} runs in ${seconds.toFixed(1)} s ` +
      `on ${Math.min(workers, Math.max(1, results.length))} worker(s)\n`,
  );
  if (!argv.quiet) await printBest(result, say);
  say(`wrote ${join(dir, 'sweep.md')}, sweep.json, charts/sweep-heatmap.png\n`);
  return EXIT_OK;
}

async function printBest(
  result: import('../experiments/sweep/index.js').SweepResult,
  say: (s: string) => void,
): Promise<void> {
  const { fmtMean } = await import('../experiments/compare/format.js');
  const d = result.definition;
  const m = d.metrics.find((x) => x.path === d.metric)!;
  say(`best by ${m.label}${m.unit ? ` (${m.unit})` : ''}:\n`);
  const rows = result.ranking
    .slice(0, 5)
    .map((r) => ({ ...r, figure: fmtMean(result.results[r.variant]?.[d.metric], m.unit) }));
  say(rankingLines(rows));
}

/** A cli-progress bar with an ETA on stderr (only used when stderr is a terminal). */
async function progressBar(total: number): Promise<{ update(n: number): void; stop(): void }> {
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      format:
        'sweep [{bar}] {value}/{total} runs | {percentage}% | ETA {eta_formatted} | {duration_formatted}',
      stream: process.stderr,
      etaBuffer: 20,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (n) => bar.update(n), stop: () => bar.stop() };
}
