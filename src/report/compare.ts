/**
 * `routesim compare`: the same scenario under several variants (named overrides, or one per strategy),
 * N replications each with common random numbers, aggregated with 95% intervals and paired differences
 * against the first variant. Built as cells -> run each -> aggregate (compare-cells.ts, compare-aggregate.ts)
 * so that a sweep can reuse every step, on worker threads or shards.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import { type MetricDef, standardMetrics } from './check-metrics.js';
import { aggregate, type CellResult, type CompareResult, summarizeCell } from './compare-aggregate.js';
import {
  type Cell,
  compareCells,
  replicationSeeds,
  strategyVariants,
  type Variant,
} from './compare-cells.js';
import { compareHtml, compareMarkdown } from './compare-format.js';
import type { ScenarioRunner } from './compare-runner.js';

export interface CompareOptions {
  file: string;
  /** One variant per strategy (first = reference); replaces the scenario's `variants:`. */
  strategies?: string[];
  replications: number;
  /** Base seed (default: the scenario's). */
  seed?: number;
  /** Metric that orders the ranked table (default latency.e2e_ms.p99). */
  rankBy?: string;
  /** Called after each cell with (cells done, cells total). */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_RANK_BY = 'latency.e2e_ms.p99';

/**
 * Runs cells one after another and reduces each to a CellResult over `metrics` (a sweep would hand the
 * same cells to workers). Returns the results in cell order and the version that produced them.
 */
export async function runCells(
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
 * Loads the scenario, builds the variants and cells, runs them and aggregates. Throws UserError when
 * there is nothing to compare or an override is invalid (the loader's problems, with file and line).
 */
export async function runCompare(opts: CompareOptions, runner: ScenarioRunner): Promise<CompareResult> {
  const base = await runner.load(opts.file, opts.seed === undefined ? {} : { seed: opts.seed });
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
  const metrics = standardMetrics(base.models.map((m) => m.id));
  const rankBy = opts.rankBy ?? DEFAULT_RANK_BY;
  if (!metrics.some((m) => m.path === rankBy)) {
    throw new UserError(`--rank-by ${rankBy} is not a compared metric`, [
      {
        file: opts.file,
        line: 0,
        column: 0,
        message: `compared metrics: ${metrics.map((m) => m.path).join(', ')}`,
      },
    ]);
  }
  const seeds = replicationSeeds(base.seed, opts.replications);
  const cells = compareCells(variants, seeds);
  let done = 0;
  const { results, version } = await runCells(opts.file, cells, metrics, runner, () => {
    opts.onProgress?.(++done, cells.length);
  });
  return aggregate({
    scenario: base.name,
    version,
    base_seed: base.seed,
    seeds,
    variants,
    metrics,
    rank_by: rankBy,
    cells: results,
  });
}

/** compare.json text: deterministic (no wall-clock figures), two-space indent, trailing newline. */
export function compareJson(result: CompareResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Writes compare.json, compare.md, compare.html and charts/compare-*.{vl.json,svg,png} into `dir`. */
export async function writeCompare(result: CompareResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const { compareCharts } = await import('./charts/compare.js');
  const { writeCharts } = await import('./charts/render.js');
  const { written, rendered } = await writeCharts(compareCharts(result), dir);
  const files = [join(dir, 'compare.json'), join(dir, 'compare.md'), join(dir, 'compare.html')];
  await writeFile(files[0], compareJson(result));
  await writeFile(files[1], compareMarkdown(result, written));
  await writeFile(files[2], compareHtml(result, rendered));
  return [...files, ...written.map((c) => join(dir, c.png))];
}
