/**
 * A sweep from start to finish: plan (load the scenario, build the grid, validate every variant's
 * overrides, derive the seeds and cells), run (all cells, or one shard's, on the worker pool), and build
 * the result (per-variant mean and 95% interval of every metric, reusing compare's aggregation). The plan's
 * definition is everything that decides the numbers; its fingerprint is how merge recognises shards of the
 * same sweep.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { JSON_DECIMALS, roundDeep } from '../../core/format.js';
import { VERSION } from '../../core/version.js';
import { type MetricDef, standardMetrics } from '../../report/check-metrics.js';
import { loadScenarioFile, scenarioIssuesToUserError } from '../../scenario/load.js';
import { didYouMean } from '../../scenario/suggest.js';
import { aggregate, type CellResult, type CompareResult } from '../compare/aggregate.js';
import { type Cell, compareCells, replicationSeeds, shardCells } from '../compare/cells.js';
import { type Axis, type GridVariant, gridVariants, parseAxes } from './grid.js';
import { type PoolOptions, runCellsParallel } from './pool.js';

/** Everything that decides a sweep's numbers (and nothing about how or where it ran). */
export interface SweepDefinition {
  /** The scenario file as given on the command line (shown, not fingerprinted). */
  file: string;
  scenario: string;
  /** sha256 of the scenario file's bytes. */
  scenario_sha256: string;
  version: string;
  base_seed: number;
  axes: Axis[];
  replications: number;
  /** seeds[r] is replication r's seed, the same for every variant (common random numbers). */
  seeds: number[];
  /** The metric of the heatmap and the ranking. */
  metric: string;
  metrics: MetricDef[];
  /** variants × replications. */
  cells: number;
}

export interface SweepPlan {
  definition: SweepDefinition;
  fingerprint: string;
  variants: GridVariant[];
  /** Variant-major: cells[v * replications + r]. */
  cells: Cell[];
}

export interface SweepOptions {
  file: string;
  /** `--set key=v1,v2` flags, one axis each. */
  sets: string[];
  replications: number;
  /** Base seed (default: the scenario's). */
  seed?: number;
  /** Heatmap and ranking metric (default latency.e2e_ms.p99). */
  metric?: string;
}

/** A shard: k of n, 1-based. */
export interface Shard {
  k: number;
  n: number;
}

/** The finished sweep: what sweep.json holds. */
export interface SweepResult {
  kind: 'routesim-sweep';
  fingerprint: string;
  definition: SweepDefinition;
  variants: GridVariant[];
  /** Per variant (by name) and metric: mean and 95% interval over replications. */
  results: CompareResult['results'];
  /** Best first by definition.metric. */
  ranking: CompareResult['ranking'];
  /** Every cell, in index order. */
  cells: CellResult[];
}

const DEFAULT_SWEEP_METRIC = 'latency.e2e_ms.p99';

/** sha256 over the canonical JSON of the definition, file path excluded (shards may run from other folders). */
export function fingerprintOf(def: SweepDefinition): string {
  const { file: _file, ...rest } = def;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/**
 * Loads the scenario, builds the grid and validates every variant with the loader. Throws UserError
 * (exit 2) listing every problem: a bad --set flag, an override the loader refuses (the message names the
 * key), an unknown metric, a bad replication count.
 */
export function planSweep(opts: SweepOptions): SweepPlan {
  if (!Number.isInteger(opts.replications) || opts.replications < 1)
    throw new UserError(`--replications must be a positive integer, got ${opts.replications}`);
  const axes = parseAxes(opts.sets);
  const base = loadScenarioFile(opts.file, opts.seed === undefined ? {} : { seed: opts.seed });
  if (!base.ok) throw scenarioIssuesToUserError(base.issues);
  const scenario = base.scenario;
  const variants = gridVariants(axes);
  const seen = new Set<string>();
  const issues = [];
  for (const v of variants) {
    const r = loadScenarioFile(opts.file, { overrides: v.overrides, seed: scenario.seed });
    if (r.ok) continue;
    for (const i of r.issues) {
      const key = `${i.line}:${i.column}:${i.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(i);
      }
    }
  }
  if (issues.length > 0) throw scenarioIssuesToUserError(issues);
  const metrics = standardMetrics(scenario.models.map((m) => m.id));
  const metric = opts.metric ?? DEFAULT_SWEEP_METRIC;
  if (!metrics.some((m) => m.path === metric)) {
    throw new UserError(`--metric ${metric} is not a swept metric`, [
      {
        file: '--metric',
        line: 0,
        column: 0,
        message: `one of: ${metrics.map((m) => m.path).join(', ')}`,
        suggestion: didYouMean(
          metric,
          metrics.map((m) => m.path),
        ),
      },
    ]);
  }
  const seeds = replicationSeeds(scenario.seed, opts.replications);
  const cells = compareCells(variants, seeds);
  const definition: SweepDefinition = {
    file: opts.file,
    scenario: scenario.name,
    scenario_sha256: createHash('sha256').update(readFileSync(opts.file)).digest('hex'),
    version: VERSION,
    base_seed: scenario.seed,
    axes,
    replications: opts.replications,
    seeds,
    metric,
    metrics,
    cells: cells.length,
  };
  return { definition, fingerprint: fingerprintOf(definition), variants, cells };
}

/** Parses `K/N` (1 <= K <= N). Throws UserError naming the flag. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const k = m ? Number(m[1]) : Number.NaN;
  const n = m ? Number(m[2]) : Number.NaN;
  if (!m || n < 1 || k < 1 || k > n)
    throw new UserError(`--shard ${text}: expected K/N with 1 <= K <= N, e.g. --shard 2/4`);
  return { k, n };
}

/** The cells shard {k, n} runs: those with index % n == k - 1 (all of them without a shard). */
export function cellsOf(plan: SweepPlan, shard?: Shard): Cell[] {
  return shard ? shardCells(plan.cells, shard.k, shard.n) : plan.cells;
}

/** Runs the plan's cells (or one shard's) on the pool; results in cell-index order. */
export async function runSweepCells(
  plan: SweepPlan,
  shard: Shard | undefined,
  opts: PoolOptions = {},
): Promise<CellResult[]> {
  const { results, version } = await runCellsParallel(
    plan.definition.file,
    cellsOf(plan, shard),
    plan.definition.metrics,
    opts,
  );
  if (results.length > 0 && version !== plan.definition.version)
    throw new Error(`cells ran under version ${version}, the plan is for ${plan.definition.version}`);
  return results;
}

/**
 * Builds the sweep result from every cell's result (any order: they are sorted by index). Throws when a
 * cell is missing or duplicated: a sweep over an incomplete grid would silently be a different sweep.
 */
export function buildSweepResult(
  definition: SweepDefinition,
  variants: readonly GridVariant[],
  cells: readonly CellResult[],
): SweepResult {
  const sorted = [...cells].sort((a, b) => a.index - b.index);
  const missing: number[] = [];
  for (let i = 0, j = 0; i < definition.cells; i++) {
    if (sorted[j]?.index === i) j++;
    else missing.push(i);
  }
  if (sorted.length !== definition.cells || missing.length > 0) {
    throw new Error(
      `sweep: ${sorted.length} cell results for ${definition.cells} cells` +
        (missing.length
          ? `; missing ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`
          : ''),
    );
  }
  const agg = aggregate({
    scenario: definition.scenario,
    version: definition.version,
    base_seed: definition.base_seed,
    seeds: definition.seeds,
    variants: variants.map((v) => ({ name: v.name, overrides: v.overrides })),
    metrics: definition.metrics,
    rank_by: definition.metric,
    cells: sorted,
  });
  return {
    kind: 'routesim-sweep',
    fingerprint: fingerprintOf(definition),
    definition,
    variants: [...variants],
    results: agg.results,
    ranking: agg.ranking,
    cells: sorted,
  };
}

/**
 * sweep.json text: deterministic (no wall-clock figures), numbers to 6 decimals as in report.json (no
 * float noise), two-space indent, trailing newline.
 */
export function sweepJson(result: SweepResult): string {
  return `${JSON.stringify(roundDeep(result, JSON_DECIMALS), null, 2)}\n`;
}
