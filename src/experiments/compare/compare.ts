/**
 * `routesim compare`: the same scenario under several variants (named overrides, or one per strategy),
 * N replications each with common random numbers, aggregated with 95% intervals and paired differences
 * against the first variant. It is a sweep over one axis and runs on the sweep's machinery: plan (variants,
 * seeds, cells: cells.ts) -> run the cells, or one shard's, on the sweep's worker pool
 * (experiments/sweep/pool.ts) -> aggregate (aggregate.ts). The plan's definition is everything that decides
 * the numbers, so a shard file carrying it can be merged into the very result the whole run gives.
 */
import { join } from 'node:path';
import { type Problem, UserError } from '../../core/errors.js';
import { JSON_DECIMALS, roundDeep } from '../../core/format.js';
import type { OutputOptions } from '../../core/output/atomic-file.js';
import type { writeCharts } from '../../report/charts/render.js';
import { cacheMetrics, drillMetrics, type MetricDef, standardMetrics } from '../../report/check-metrics.js';
import { writeReportFolder } from '../../report/formats.js';
import { faultOf } from '../../scenario/events/index.js';
import { didYouMean } from '../../scenario/suggest.js';
import type { PoolOptions } from '../sweep/pool.js';
import { aggregate, type CellResult, type CompareResult, summarizeCell } from './aggregate.js';
import { type Cell, compareCells, replicationSeeds, strategyVariants, type Variant } from './cells.js';
import { compareHtml, compareMarkdown } from './format.js';
import { defaultRunner, type ScenarioRunner } from './runner.js';

export interface CompareOptions {
  file: string;
  /** One variant per strategy (first = reference); replaces the scenario's `variants:`. */
  strategies?: string[];
  replications: number;
  /** Base seed (default: the scenario's). */
  seed?: number;
  /** Metric that orders the ranked table (default latency.e2e_ms.p99). */
  rankBy?: string;
  /** Threads running cells when no runner is injected (default os.availableParallelism()). */
  workers?: number;
  /** Called after each cell with (cells done, cells total). */
  onProgress?: (done: number, total: number) => void;
}

const DEFAULT_RANK_BY = 'latency.e2e_ms.p99';

/** Everything that decides a comparison's numbers (the file path is shown, never fingerprinted). */
export interface CompareDefinition {
  file: string;
  scenario: string;
  base_seed: number;
  variants: Variant[];
  replications: number;
  /** seeds[r] is replication r's seed, the same for every variant (common random numbers). */
  seeds: number[];
  rank_by: string;
  metrics: MetricDef[];
  /** variants × replications. */
  cells: number;
}

/** A planned comparison: its definition and every cell, variant-major (cells[v * replications + r]). */
export interface ComparePlan {
  definition: CompareDefinition;
  cells: Cell[];
}

/**
 * Runs cells one after another on `runner` (the path for an injected, e.g. stubbed, simulator) and reduces
 * each to a CellResult over `metrics`. Returns the results in cell order and the version that produced them.
 */
async function runCells(
  file: string,
  cells: readonly Cell[],
  metrics: readonly MetricDef[],
  runner: ScenarioRunner,
  onCell?: (cell: Cell, result: CellResult) => void,
): Promise<{ results: CellResult[]; version: string }> {
  const results: CellResult[] = [];
  let version = '';
  for (const cell of cells) {
    const scenario = await runner.load(file, { overrides: cell.overrides, seed: cell.seed });
    const report = await runner.run(scenario);
    version = report.version;
    const r = summarizeCell(cell, report, metrics);
    results.push(r);
    onCell?.(cell, r);
  }
  return { results, version };
}

/**
 * Loads the scenario, builds the variants, the metrics and the cells, and loads every variant once so that
 * a bad override stops the comparison before anything runs (on every shard alike). Throws UserError when
 * there is nothing to compare, a variant is listed twice, an override is invalid (the loader's problems,
 * with file and line) or the ranking metric is not compared.
 */
export async function planCompare(opts: CompareOptions, runner?: ScenarioRunner): Promise<ComparePlan> {
  const r = runner ?? (await defaultRunner());
  const base = await r.load(opts.file, opts.seed === undefined ? {} : { seed: opts.seed });
  let variants: Variant[];
  if (opts.strategies && opts.strategies.length > 0) variants = strategyVariants(opts.strategies);
  else if (base.variants.length > 0)
    variants = base.variants.map((v) => ({ name: v.name, overrides: v.overrides }));
  else {
    throw new UserError(`${opts.file}: nothing to compare`, [
      {
        file: opts.file,
        line: 0,
        column: 0,
        message: 'the scenario has no `variants:` and no --strategies were given',
        suggestion: 'add --strategies least_loaded,cache_aware or a variants: block',
      },
    ]);
  }
  if (new Set(variants.map((v) => v.name)).size !== variants.length) {
    throw new UserError(
      `${opts.file}: a variant is listed twice (${variants.map((v) => v.name).join(', ')})`,
    );
  }
  await validateVariants(opts.file, variants, base.seed, r);
  const metrics = standardMetrics(base.models.map((m) => m.id));
  // Cache figures only when a model has a cache (specs built in code may leave `cache` out).
  if (base.models.some((m) => (m.cache?.kind ?? 'none') !== 'none')) metrics.push(...cacheMetrics());
  // Drill figures only with fault events (specs built in code may leave `events` out).
  metrics.push(...drillMetrics((base.events ?? []).filter((e) => faultOf(e) !== null).length));
  const rankBy = opts.rankBy ?? DEFAULT_RANK_BY;
  if (!metrics.some((m) => m.path === rankBy)) {
    throw new UserError(`--rank-by ${rankBy} is not a compared metric`, [
      {
        file: opts.file,
        line: 0,
        column: 0,
        message: `compared metrics: ${metrics.map((m) => m.path).join(', ')}`,
        suggestion: didYouMean(
          rankBy,
          metrics.map((m) => m.path),
        ),
      },
    ]);
  }
  const seeds = replicationSeeds(base.seed, opts.replications);
  const cells = compareCells(variants, seeds);
  return {
    definition: {
      file: opts.file,
      scenario: base.name,
      base_seed: base.seed,
      variants,
      replications: opts.replications,
      seeds,
      rank_by: rankBy,
      metrics,
      cells: cells.length,
    },
    cells,
  };
}

/** Loads the scenario under every variant; throws one UserError with every distinct problem. */
async function validateVariants(
  file: string,
  variants: readonly Variant[],
  seed: number,
  runner: ScenarioRunner,
): Promise<void> {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  let first: UserError | undefined;
  for (const v of variants) {
    try {
      await runner.load(file, { overrides: v.overrides, seed });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      first ??= err;
      for (const p of err.problems) {
        const key = `${p.file}:${p.line}:${p.column}:${p.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(p);
        }
      }
    }
  }
  if (first) throw new UserError(first.message, problems);
}

/**
 * Runs `cells` (all of a plan's, or one shard's): in this thread on `runner` when one is injected,
 * otherwise on the sweep's worker pool with `pool.workers` threads. Results in cell-index order, so they
 * do not depend on the worker count; the version is the one the cells' reports carry.
 */
export async function runCompareCells(
  plan: ComparePlan,
  cells: readonly Cell[],
  opts: { runner?: ScenarioRunner; pool?: PoolOptions } = {},
): Promise<{ results: CellResult[]; version: string }> {
  const { file, metrics } = plan.definition;
  let run: { results: CellResult[]; version: string };
  if (opts.runner) {
    let done = 0;
    run = await runCells(file, cells, metrics, opts.runner, (_c, r) =>
      opts.pool?.onCell?.(r, ++done, cells.length),
    );
  } else {
    const { runCellsParallel } = await import('../sweep/pool.js');
    run = await runCellsParallel(file, cells, metrics, opts.pool);
  }
  // Through JSON, as a shard file carries them (a NaN becomes null), so that the whole run and a merge of
  // its shards aggregate the very same values.
  return { results: JSON.parse(JSON.stringify(run.results)) as CellResult[], version: run.version };
}

/**
 * The comparison from every cell's result, in any order (e.g. merged from shards). Throws when a cell is
 * missing, repeated or outside the plan: an incomplete grid would silently be a different comparison.
 */
export function buildCompareResult(
  definition: CompareDefinition,
  version: string,
  cells: readonly CellResult[],
): CompareResult {
  const indexes = new Set(cells.map((c) => c.index));
  const complete =
    cells.length === definition.cells &&
    indexes.size === cells.length &&
    cells.every((c) => Number.isInteger(c.index) && c.index >= 0 && c.index < definition.cells);
  if (!complete)
    throw new Error(
      `compare: ${cells.length} cell results (${indexes.size} distinct) for ${definition.cells} cells`,
    );
  return aggregate({
    scenario: definition.scenario,
    version,
    base_seed: definition.base_seed,
    seeds: definition.seeds,
    variants: definition.variants,
    metrics: definition.metrics,
    rank_by: definition.rank_by,
    cells,
  });
}

/**
 * Plans, runs every cell and aggregates. With `runner` the cells run in this thread on it (tests stub the
 * simulator this way); without, on `opts.workers` threads. Throws UserError as planCompare does.
 */
export async function runCompare(opts: CompareOptions, runner?: ScenarioRunner): Promise<CompareResult> {
  const plan = await planCompare(opts, runner);
  const { results, version } = await runCompareCells(plan, plan.cells, {
    runner,
    pool: {
      workers: opts.workers,
      onCell: opts.onProgress ? (_r, done, total) => opts.onProgress?.(done, total) : undefined,
    },
  });
  return buildCompareResult(plan.definition, version, results);
}

/**
 * compare.json text: deterministic (no wall-clock figures), numbers to 6 decimals as in report.json (no
 * float noise like 152.81331225780036), two-space indent, trailing newline.
 */
function compareJson(result: CompareResult): string {
  return `${JSON.stringify(roundDeep(result, JSON_DECIMALS), null, 2)}\n`;
}

/**
 * Writes compare.json, compare.md and compare.html, then charts/compare-*.{vl.json,svg,png} with the pages
 * that show them, into `dir`: its compare entries are replaced as a unit (report/formats.ts
 * writeReportFolder). Returns the paths written.
 */
export async function writeCompare(
  result: CompareResult,
  dir: string,
  opts: OutputOptions = {},
): Promise<string[]> {
  const { compareCharts } = await import('./charts/index.js');
  type Drawn = Awaited<ReturnType<typeof writeCharts>>;
  let drawn: Drawn = { written: [], rendered: [] };
  await writeReportFolder(
    { ...opts, dir },
    {
      owned: ['compare.json', 'compare.md', 'compare.html', 'charts'],
      marker: 'compare.json',
      texts: (d: Drawn | null) => ({
        'compare.json': compareJson(result),
        'compare.md': compareMarkdown(result, d?.written ?? []),
        'compare.html': compareHtml(result, d?.rendered ?? []),
      }),
      draw: async (stage: string) => {
        const { writeCharts } = await import('../../report/charts/render.js');
        drawn = await writeCharts(compareCharts(result), stage);
        return drawn;
      },
    },
  );
  const files = ['compare.json', 'compare.md', 'compare.html'].map((f) => join(dir, f));
  return [...files, ...drawn.written.map((c) => join(dir, c.png))];
}
