/**
 * Shard files and their merge. A shard run writes `sweep-shard-K-of-N.json`: the sweep's full definition,
 * its fingerprint, the variants, and the results of its cells (index % N == K - 1). Merge reads shard files
 * from folders, refuses shards of different sweeps, a shard count that disagrees, a shard given twice, or
 * missing cells, and builds the same SweepResult the unsharded run builds (hence byte-identical output).
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import type { CellResult } from '../report/compare-aggregate.js';
import type { GridVariant } from './grid.js';
import {
  buildSweepResult,
  fingerprintOf,
  type Shard,
  type SweepDefinition,
  type SweepPlan,
  type SweepResult,
} from './sweep.js';

export interface ShardFile {
  kind: 'routesim-sweep-shard';
  fingerprint: string;
  shard: Shard;
  definition: SweepDefinition;
  variants: GridVariant[];
  cells: CellResult[];
}

export function shardFileName(shard: Shard): string {
  return `sweep-shard-${shard.k}-of-${shard.n}.json`;
}

/** Writes one shard's results into `dir`; returns the file's path. */
export async function writeShardFile(
  plan: SweepPlan,
  shard: Shard,
  cells: CellResult[],
  dir: string,
): Promise<string> {
  const body: ShardFile = {
    kind: 'routesim-sweep-shard',
    fingerprint: plan.fingerprint,
    shard,
    definition: plan.definition,
    variants: plan.variants,
    cells,
  };
  const path = join(dir, shardFileName(shard));
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}

/** Shard files named by `paths`: a file itself, or every sweep-shard-*.json in a folder. */
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
    const found = (await readdir(p)).filter((f) => /^sweep-shard-\d+-of-\d+\.json$/.test(f)).sort();
    if (found.length === 0) throw new UserError(`merge: ${p} holds no sweep-shard-K-of-N.json`);
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
    if (file?.kind !== 'routesim-sweep-shard')
      throw new UserError(`merge: ${path}: not a sweep shard file (kind ${JSON.stringify(file?.kind)})`);
    out.push({ path, file });
  }
  return out;
}

/**
 * Joins shards into the whole sweep. Throws UserError naming the offending files when the shards belong
 * to different sweeps (fingerprints differ), disagree on N, repeat a shard, or leave cells missing.
 */
export function mergeShards(shards: readonly { path: string; file: ShardFile }[]): SweepResult {
  if (shards.length === 0) throw new UserError('merge: no shard files given');
  const first = shards[0];
  for (const s of shards) {
    // Recomputed, so a hand-edited definition does not pass as the same sweep.
    const fp = fingerprintOf(s.file.definition);
    if (fp !== s.file.fingerprint)
      throw new UserError(`merge: ${s.path}: its fingerprint does not match its definition (edited?)`);
    if (fp !== first.file.fingerprint) {
      throw new UserError(
        `merge: ${s.path} and ${first.path} are shards of different sweeps ` +
          `(fingerprints ${fp.slice(0, 12)} and ${first.file.fingerprint.slice(0, 12)}); ` +
          'run every shard with the same file, --set, --replications, --seed and --metric',
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
  const def = first.file.definition;
  const cells = shards.flatMap((s) => s.file.cells);
  if (absent.length > 0 || cells.length !== def.cells) {
    throw new UserError(
      `merge: ${cells.length} of ${def.cells} cells present` +
        (absent.length > 0 ? `; missing shard${absent.length > 1 ? 's' : ''} ${absent.map((k) => `${k}/${n}`).join(', ')}` : '') +
        '; run the missing shards, or merge every shard folder',
    );
  }
  return buildSweepResult(def, first.file.variants, cells);
}
