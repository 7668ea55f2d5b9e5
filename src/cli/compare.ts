/**
 * `routesim compare FILE [--strategies a,b,c] [--replications N] [--out DIR] [--seed N] [--rank-by METRIC]`:
 * the scenario under each variant (one per --strategies entry, else the scenario's `variants:`), N
 * replications with common random numbers; writes compare.json, compare.md, compare.html and the charts
 * into --out (default reports/<scenario name>/compare/), prints the ranked table.
 * Exit: 0 ok; 2 invalid input (no variants, a bad override or flag).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Argv, CommandModule } from 'yargs';
import type { ScenarioRunner } from '../report/compare-runner.js';
import { EXIT_OK, UserError } from './errors.js';
import { io, setExitCode } from './index.js';

export interface CompareArgs {
  file: string;
  strategies?: string;
  replications: number;
  out?: string;
  seed?: number;
  'rank-by'?: string;
  quiet?: boolean;
}

export const command = {
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
        type: 'number',
        default: 5,
        describe: 'replications per variant (distinct seeds)',
      })
      .option('out', { type: 'string', describe: 'output folder (default reports/<scenario name>/compare/)' })
      .option('seed', { type: 'number', describe: 'base seed (default: the scenario seed)' })
      .option('rank-by', {
        type: 'string',
        describe: 'metric that orders the ranking (default latency.e2e_ms.p99)',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but problems' }),
  handler: async (argv: CompareArgs) => {
    setExitCode(argv, await compareCommand(argv));
  },
} as unknown as CommandModule<object, never>;

/** The command, callable from tests with an injected runner. */
export async function compareCommand(argv: CompareArgs, runner?: ScenarioRunner): Promise<number> {
  if (!Number.isInteger(argv.replications) || argv.replications < 1) {
    throw new UserError(`--replications must be a positive integer, got ${argv.replications}`);
  }
  if (argv.seed !== undefined && !Number.isInteger(argv.seed))
    throw new UserError(`--seed must be an integer, got ${argv.seed}`);
  const strategies = argv.strategies
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (argv.strategies !== undefined && (!strategies || strategies.length === 0)) {
    throw new UserError(
      '--strategies needs at least one strategy name, e.g. --strategies least_loaded,cache_aware',
    );
  }
  const { runCompare, writeCompare } = await import('../report/compare.js');
  const { defaultRunner } = await import('../report/compare-runner.js');
  const r = runner ?? (await defaultRunner());
  const t0 = performance.now();
  const showProgress = !argv.quiet && io.isTTY;
  const result = await runCompare(
    {
      file: argv.file,
      strategies,
      replications: argv.replications,
      seed: argv.seed,
      rankBy: argv['rank-by'],
      onProgress: showProgress ? (d, n) => io.stderr(`\rcompare: ${d}/${n} runs`) : undefined,
    },
    r,
  );
  if (showProgress) io.stderr('\n');
  const rankDef = result.metrics.find((m) => m.path === result.rank_by)!;
  const seconds = (performance.now() - t0) / 1000;
  const dir = argv.out ?? join('reports', safeName(result.scenario), 'compare');
  await writeCompare(result, dir);
  if (!argv.quiet) {
    const { fmtMean } = await import('../report/compare-format.js');
    io.stdout(
      `compare ${result.scenario}: ${result.variants.length} variants × ${result.replications} replications in ${seconds.toFixed(1)} s\n`,
    );
    io.stdout(`ranked by ${rankDef.label}${rankDef.unit ? ` (${rankDef.unit})` : ''}:\n`);
    for (const x of result.ranking) {
      io.stdout(
        `  ${String(x.rank).padStart(2)}. ${x.variant.padEnd(20)} ${fmtMean(result.results[x.variant][result.rank_by])}\n`,
      );
    }
    io.stdout(`wrote ${join(dir, 'compare.html')}, compare.md, compare.json\n`);
  }
  return EXIT_OK;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
}
