/**
 * Shard files and their merge, for sweeps and comparisons alike. A shard run writes
 * `sweep-shard-K-of-N.json` or `compare-shard-K-of-N.json`: its kind, the run's full definition, its
 * fingerprint, and the results of its cells (index % N == K - 1). Merge reads shard files from folders,
 * refuses shards of different kinds or different runs, a shard count that disagrees, a shard given twice,
 * or missing cells, and builds the same result the unsharded run builds (hence byte-identical output).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/output/atomic-file.js';
import { VERSION } from '../../report/report.js';
import type { CellResult, CompareResult } from '../compare/aggregate.js';
import { buildCompareResult, type CompareDefinition, type ComparePlan } from '../compare/compare.js';
import type { GridVariant } from './grid.js';
import {
  buildSweepResult,
  fingerprintOf,
  type Shard,
  type SweepDefinition,
  type SweepPlan,
  type SweepResult,
} from './sweep.js';

/** One shard of a sweep. */
interface SweepShardFile {
  kind: 'routesim-sweep-shard';
  fingerprint: string;
  shard: Shard;
  definition: SweepDefinition;
  variants: GridVariant[];
  cells: CellResult[];
}

/** One shard of a comparison; the scenario's hash and the version are fingerprinted with the definition. */
export interface CompareShardFile {
  kind: 'routesim-compare-shard';
  fingerprint: string;
  shard: Shard;
  /** sha256 of the scenario file's bytes. */
  scenario_sha256: string;
  /** The routesim version whose simulator produced the cells. */
  version: string;
  definition: CompareDefinition;
  cells: CellResult[];
}

export type ShardFile = SweepShardFile | CompareShardFile;

/** What a merge gives: the whole run's result, of the shards' kind. */
export type MergedShards =
  | { kind: 'sweep'; result: SweepResult }
  | { kind: 'compare'; result: CompareResult };

const FILE_PATTERN = /^(sweep|compare)-shard-\d+-of-\d+\.json$/;
const KINDS = { 'routesim-sweep-shard': 'sweep', 'routesim-compare-shard': 'compare' } as const;

/** `sweep-shard-K-of-N.json` (or `compare-shard-...` for a comparison). */
function shardFileName(shard: Shard, of: 'sweep' | 'compare' = 'sweep'): string {
  return `${of}-shard-${shard.k}-of-${shard.n}.json`;
}

/** Writes one sweep shard's results into `dir` (created), atomically; returns the file's path. */
export async function writeShardFile(
  plan: SweepPlan,
  shard: Shard,
  cells: CellResult[],
  dir: string,
): Promise<string> {
  const body: SweepShardFile = {
    kind: 'routesim-sweep-shard',
    fingerprint: plan.fingerprint,
    shard,
    definition: plan.definition,
    variants: plan.variants,
    cells,
  };
  const path = join(dir, shardFileName(shard));
  writeFileAtomic(path, `${JSON.stringify(body, null, 2)}\n`, { label: '--out' });
  return path;
}

/** sha256 over the canonical JSON of a comparison's definition (path excluded), scenario hash and version. */
function compareFingerprint(def: CompareDefinition, scenarioSha256: string, version: string): string {
  const { file: _file, ...rest } = def;
  return createHash('sha256')
    .update(JSON.stringify({ definition: rest, scenario_sha256: scenarioSha256, version }))
    .digest('hex');
}

/**
 * Writes one comparison shard's results into `dir`; returns the file's path. `version` is the one the
 * cells' reports carry (this routesim's VERSION when the shard has no cell). Reads the scenario file to
 * hash it.
 */
export async function writeCompareShardFile(
  plan: ComparePlan,
  shard: Shard,
  run: { results: CellResult[]; version: string },
  dir: string,
): Promise<string> {
  const version = run.results.length > 0 ? run.version : VERSION;
  const sha = createHash('sha256')
    .update(await readFile(plan.definition.file))
    .digest('hex');
  const body: CompareShardFile = {
    kind: 'routesim-compare-shard',
    fingerprint: compareFingerprint(plan.definition, sha, version),
    shard,
    scenario_sha256: sha,
    version,
    definition: plan.definition,
    cells: run.results,
  };
  const path = join(dir, shardFileName(shard, 'compare'));
  writeFileAtomic(path, `${JSON.stringify(body, null, 2)}\n`, { label: '--out' });
  return path;
}

/**
 * Shard files named by `paths`: a file itself, or every sweep-shard-*.json and compare-shard-*.json in a
 * folder. Throws UserError for a path that does not exist, a folder with no shard file, or a file that is
 * not a shard file.
 */
export async function readShardFiles(paths: readonly string[]): Promise<{ path: string; file: ShardFile }[]> {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch {
      throw new UserError(`merge: ${p}: no such file or folder`);
    }
    if (!isDir) {
      files.push(p);
      continue;
    }
    const found = (await readdir(p)).filter((f) => FILE_PATTERN.test(f)).sort();
    if (found.length === 0)
      throw new UserError(`merge: ${p} holds no sweep-shard-K-of-N.json or compare-shard-K-of-N.json`);
    files.push(...found.map((f) => join(p, f)));
  }
  const out: { path: string; file: ShardFile }[] = [];
  for (const path of files) {
    let file: ShardFile;
    try {
      file = JSON.parse(await readFile(path, 'utf8')) as ShardFile;
    } catch (err) {
      throw new UserError(`merge: ${path}: not a readable shard file (${(err as Error).message})`);
    }
    if (!(file?.kind in KINDS))
      throw new UserError(`merge: ${path}: not a shard file (kind ${JSON.stringify(file?.kind)})`);
    out.push({ path, file });
  }
  return out;
}

/** The fingerprint a shard's own content gives (so a hand-edited definition does not pass). */
function ownFingerprint(f: ShardFile): string {
  return f.kind === 'routesim-sweep-shard'
    ? fingerprintOf(f.definition)
    : compareFingerprint(f.definition, f.scenario_sha256, f.version);
}

/**
 * Joins shards into the whole run. Throws UserError naming the offending files when the shards are of
 * different kinds (sweep and compare), belong to different runs (fingerprints differ), disagree on N,
 * repeat a shard, or leave cells missing.
 */
export function mergeShards(shards: readonly { path: string; file: ShardFile }[]): MergedShards {
  if (shards.length === 0) throw new UserError('merge: no shard files given');
  const first = shards[0];
  const kind = KINDS[first.file.kind];
  for (const s of shards) {
    if (s.file.kind !== first.file.kind) {
      throw new UserError(
        `merge: ${s.path} is a ${KINDS[s.file.kind]} shard but ${first.path} is a ${kind} shard; ` +
          'merge the shards of one run at a time',
      );
    }
    const fp = ownFingerprint(s.file);
    if (fp !== s.file.fingerprint)
      throw new UserError(`merge: ${s.path}: its fingerprint does not match its definition (edited?)`);
    if (fp !== first.file.fingerprint) {
      throw new UserError(
        `merge: ${s.path} and ${first.path} are shards of different ${kind === 'sweep' ? 'sweeps' : 'comparisons'} ` +
          `(fingerprints ${fp.slice(0, 12)} and ${first.file.fingerprint.slice(0, 12)}); ` +
          (kind === 'sweep'
            ? 'run every shard with the same file, --set, --replications, --seed and --metric'
            : 'run every shard with the same file, --strategies, --replications, --seed and --rank-by'),
      );
    }
    if (s.file.shard.n !== first.file.shard.n) {
      throw new UserError(
        `merge: ${s.path} is shard ${s.file.shard.k}/${s.file.shard.n} but ${first.path} is ` +
          `${first.file.shard.k}/${first.file.shard.n}: every shard must use the same N`,
      );
    }
  }
  const n = first.file.shard.n;
  const byK = new Map<number, string>();
  for (const s of shards) {
    const prev = byK.get(s.file.shard.k);
    if (prev) throw new UserError(`merge: shard ${s.file.shard.k}/${n} is given twice (${prev}, ${s.path})`);
    byK.set(s.file.shard.k, s.path);
    const wrong = s.file.cells.find((c) => c.index % n !== s.file.shard.k - 1);
    if (wrong) throw new UserError(`merge: ${s.path}: cell ${wrong.index} does not belong to its shard`);
  }
  const absent = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !byK.has(k));
  const total = first.file.definition.cells;
  const cells = shards.flatMap((s) => s.file.cells);
  if (absent.length > 0 || cells.length !== total) {
    throw new UserError(
      `merge: ${cells.length} of ${total} cells present` +
        (absent.length > 0
          ? `; missing shard${absent.length > 1 ? 's' : ''} ${absent.map((k) => `${k}/${n}`).join(', ')}`
          : '') +
        '; run the missing shards, or merge every shard folder',
    );
  }
  const f = first.file;
  if (f.kind === 'routesim-sweep-shard')
    return { kind: 'sweep', result: buildSweepResult(f.definition, f.variants, cells) };
  // Cells in index order, as the unsharded run hands them to the aggregation.
  const sorted = [...cells].sort((a, b) => a.index - b.index);
  return { kind: 'compare', result: buildCompareResult(f.definition, f.version, sorted) };
}
