/**
 * `routesim compare FILE [--strategies a,b,c] [--replications N] [--workers N] [--shard K/N] [--out DIR]
 * [--seed N] [--rank-by METRIC]`: the scenario under each variant (one per --strategies entry, else the
 * scenario's `variants:`), N replications with common random numbers, run on the sweep's worker threads;
 * writes compare.json, compare.md, compare.html and the charts into --out (default
 * reports/<scenario name>/compare/), prints the ranked table. With --shard, runs only the cells with
 * index % N == K - 1 and writes compare-shard-K-of-N.json (join the shards with `routesim merge`).
 * Exit: 0 ok; 2 invalid input (no variants, a bad override or flag).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Argv } from 'yargs';
import { EXIT_OK, UserError } from '../core/errors.js';
import type { ScenarioRunner } from '../experiments/compare/runner.js';
import type { Command, Io } from './command.js';
import { numberFlag } from './number-flag.js';
import { counted, rankingLines } from './ranking.js';
import { safeName } from './safe-name.js';

export interface CompareArgs {
  file: string;
  strategies?: string;
  replications: number | string;
  workers?: number | string;
  shard?: string;
  out?: string;
  seed?: number | string;
  'rank-by'?: string;
  quiet?: boolean;
}

export const command: Command<CompareArgs> = {
  command: 'compare <file>',
  describe: 'compare variants or strategies over replications, with 95% confidence intervals',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the scenario file (YAML)' })
      .option('strategies', {
        type: 'string',
        describe: 'comma-separated strategies, one variant each (first = reference)',
      })
      .option('replications', {
        type: 'string',
        default: 5,
        describe: 'replications per variant (distinct seeds)',
      })
      .option('workers', { type: 'string', describe: 'worker threads (default: available cores)' })
      .option('shard', { type: 'string', describe: 'run only shard K of N (K/N), for `routesim merge`' })
      .option('out', { type: 'string', describe: 'output folder (default reports/<scenario name>/compare/)' })
      .option('seed', { type: 'string', describe: 'base seed (default: the scenario seed)' })
      .option('rank-by', {
        type: 'string',
        describe: 'metric that orders the ranking (default latency.e2e_ms.p99)',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but problems' }),
  run: compareCommand,
};

/**
 * The command, callable from tests. An injected runner (e.g. a stubbed simulator) runs every cell in this
 * thread; without one the cells run on --workers threads.
 */
async function compareCommand(argv: CompareArgs, io: Io, runner?: ScenarioRunner): Promise<number> {
  const replications = numberFlag('--replications', argv.replications, 'positive-integer') as number;
  const seed = numberFlag('--seed', argv.seed, 'integer');
  const workersFlag = numberFlag('--workers', argv.workers, 'positive-integer');
  const strategies = argv.strategies
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (argv.strategies !== undefined && (!strategies || strategies.length === 0)) {
    throw new UserError(
      '--strategies needs at least one strategy name, e.g. --strategies least_loaded,cache_aware',
    );
  }
  const sw = await import('../experiments/sweep/index.js');
  const shard = argv.shard === undefined ? undefined : sw.parseShard(argv.shard);
  const cmp = await import('../experiments/compare/compare.js');
  const { shardCells } = await import('../experiments/compare/cells.js');
  const plan = await cmp.planCompare(
    {
      file: argv.file,
      strategies,
      replications,
      seed,
      rankBy: argv['rank-by'],
    },
    runner,
  );
  const def = plan.definition;
  const cells = shard ? shardCells(plan.cells, shard.k, shard.n) : plan.cells;
  const workers = workersFlag ?? sw.defaultWorkers();
  const t0 = performance.now();
  const showProgress = !argv.quiet && io.isTTY;
  const run = await cmp.runCompareCells(plan, cells, {
    runner,
    pool: {
      workers,
      onCell: showProgress ? (_r, d, n) => io.stderr(`\rcompare: ${d}/${n} runs`) : undefined,
    },
  });
  if (showProgress) io.stderr('\n');
  const seconds = (performance.now() - t0) / 1000;
  const say = (s: string) => {
    if (!argv.quiet) io.stdout(s);
  };
  const what = `${counted(def.variants.length, 'variant')} × ${counted(def.replications, 'replication')}`;
  const threads = runner ? 1 : Math.min(workers, Math.max(1, cells.length));
  if (shard) {
    const dir = argv.out ?? join('reports', safeName(def.scenario), `compare-shard-${shard.k}-of-${shard.n}`);
    const path = await sw.writeCompareShardFile(plan, shard, run, dir);
    say(
      `compare ${def.scenario} shard ${shard.k}/${shard.n}: ${cells.length} of ${def.cells} runs (${what}) ` +
        `in ${seconds.toFixed(1)} s on ${threads} worker(s)\n`,
    );
    say(`wrote ${path}; join every shard with: routesim merge <shard folders...>\n`);
    return EXIT_OK;
  }
  const result = cmp.buildCompareResult(def, run.version, run.results);
  const rankDef = result.metrics.find((m) => m.path === result.rank_by)!;
  const dir = argv.out ?? join('reports', safeName(result.scenario), 'compare');
  await cmp.writeCompare(result, dir, { label: '--out', inputs: [argv.file] });
  if (!argv.quiet) {
    const { fmtMean } = await import('../experiments/compare/format.js');
    say(`compare ${result.scenario}: ${what} in ${seconds.toFixed(1)} s on ${threads} worker(s)\n`);
    say(`ranked by ${rankDef.label}${rankDef.unit ? ` (${rankDef.unit})` : ''}:\n`);
    const rows = result.ranking.map((x) => ({
      ...x,
      figure: fmtMean(result.results[x.variant][result.rank_by], rankDef.unit),
    }));
    say(rankingLines(rows));
    say(`wrote ${join(dir, 'compare.html')}, compare.md, compare.json\n`);
  }
  return EXIT_OK;
}
