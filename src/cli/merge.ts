/**
 * `routesim merge DIR... [--out DIR]`: joins the shard outputs of one sweep or one comparison (the folders,
 * or the sweep-shard-K-of-N.json / compare-shard-K-of-N.json files, that `routesim sweep --shard K/N` or
 * `routesim compare --shard K/N` wrote) into the whole run's report — byte-identical to the unsharded run.
 * Exit: 0 ok; 2 when the shards mix sweeps and comparisons, belong to different runs, a shard is missing
 * or repeated, or a file cannot be read.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT_OK } from '../core/errors.js';
import type { Command, Io } from './command.js';
import { safeName } from './safe-name.js';

export interface MergeArgs {
  dirs: string[];
  out?: string;
  quiet?: boolean;
}

export const command: Command<MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'join the shards of a sweep or compare (--shard K/N) into one report',
  builder: (y: Argv) =>
    y
      .positional('dirs', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'shard folders, or sweep-shard-K-of-N.json / compare-shard-K-of-N.json files',
      })
      .option('out', {
        type: 'string',
        describe: 'output folder (default reports/<scenario>/sweep/ or reports/<scenario>/compare/)',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but problems' }),
  run: mergeCommand,
};

/** The command, callable from tests. */
export async function mergeCommand(argv: MergeArgs, io: Io): Promise<number> {
  const sw = await import('../experiments/sweep/index.js');
  const shards = await sw.readShardFiles(argv.dirs);
  const merged = sw.mergeShards(shards);
  const inputs = shards.map((s) => s.path);
  const say = (s: string) => {
    if (!argv.quiet) io.stdout(s);
  };
  if (merged.kind === 'compare') {
    const { writeCompare } = await import('../experiments/compare/compare.js');
    const result = merged.result;
    const dir = argv.out ?? join('reports', safeName(result.scenario), 'compare');
    await writeCompare(result, dir, { label: '--out', inputs });
    say(
      `merged ${shards.length} shard(s) of compare ${result.scenario} ` +
        `(${result.variants.length} variants × ${result.replications} replications, ` +
        `fingerprint ${shards[0].file.fingerprint.slice(0, 12)})\n`,
    );
    say(`wrote ${join(dir, 'compare.html')}, compare.md, compare.json\n`);
    return EXIT_OK;
  }
  const result = merged.result;
  const dir = argv.out ?? join('reports', safeName(result.definition.scenario), 'sweep');
  await sw.writeSweep(result, dir, { label: '--out', inputs });
  say(
    `merged ${shards.length} shard(s) of sweep ${result.definition.scenario} ` +
      `(${result.cells.length} runs, fingerprint ${result.fingerprint.slice(0, 12)})\n`,
  );
  say(`wrote ${join(dir, 'sweep.md')}, sweep.json, charts/sweep-heatmap.png\n`);
  return EXIT_OK;
}
