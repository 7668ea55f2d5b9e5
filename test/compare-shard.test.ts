/**
 * compare on the sweep's machinery, end to end through the CLI: the same bytes on 1 and 2 worker threads;
 * sharded 3 ways and merged equals the comparison run whole, byte for byte; merge refuses a compare shard
 * mixed with a sweep shard, shards of different comparisons, and a missing shard (exit 2).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/command.js';
import { main } from '../src/cli/index.js';
import { mergeCommand } from '../src/cli/merge.js';
import { sweepCommand } from '../src/cli/sweep.js';
import type { CompareResult } from '../src/experiments/compare/aggregate.js';
import type { CompareShardFile } from '../src/experiments/sweep/index.js';

const FILE = 'test/fixtures/check-small.yaml';
const P99 = 'latency.e2e_ms.p99';
let tmp: string;

const read = (dir: string, f: string) => readFile(join(dir, f), 'utf8');
/** The commands run with --quiet; anything they print anyway is dropped. */
const silent: Io = { stdout: () => {}, stderr: () => {}, isTTY: false };
const shardOf = async (k: number): Promise<CompareShardFile> =>
  JSON.parse(await read(join(tmp, `shard-${k}`), `compare-shard-${k}-of-3.json`));

function capture() {
  let err = '';
  return {
    io: { stdout: () => {}, stderr: (s: string) => (err += s), isTTY: false },
    err: () => err,
  };
}

/** `routesim compare FILE --strategies least_loaded,round_robin --quiet <flags>` (3 replications unless given). */
async function compare(...flags: string[]): Promise<void> {
  const c = capture();
  const argv = ['compare', FILE, '--strategies', 'least_loaded,round_robin', '--quiet', ...flags];
  if (!flags.includes('--replications')) argv.push('--replications', '3');
  expect(await main(argv, c.io), c.err()).toBe(0);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'routesim-compare-shard-'));
  await compare('--workers', '1', '--out', join(tmp, 'whole-1'));
  await compare('--workers', '2', '--out', join(tmp, 'whole-2'));
  for (let k = 1; k <= 3; k++)
    await compare('--workers', '1', '--shard', `${k}/3`, '--out', join(tmp, `shard-${k}`));
}, 60_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('compare on worker threads and shards', () => {
  it('gives the same bytes with 1 and 2 worker threads', async () => {
    for (const f of ['compare.json', 'compare.md', 'compare.html', 'charts/compare-bars.svg'])
      expect(await read(join(tmp, 'whole-2'), f), f).toBe(await read(join(tmp, 'whole-1'), f));
  });

  it('partitions the 2 × 3 cells by index mod 3, each shard carrying the whole definition', async () => {
    const shards = await Promise.all([1, 2, 3].map(shardOf));
    expect(shards.map((s) => s.cells.map((c) => c.index))).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    for (const s of shards) {
      expect(s.kind).toBe('routesim-compare-shard');
      expect(s.definition.cells).toBe(6);
      expect(s.definition.variants.map((v) => v.name)).toEqual(['least_loaded', 'round_robin']);
      expect(s.fingerprint).toBe(shards[0].fingerprint);
    }
    // Cell 4 is round_robin's replication 1, with the seed least_loaded's replication 1 had (cell 1).
    expect(shards[1].cells[1]).toMatchObject({ variant: 'round_robin', replication: 1 });
    expect(shards[1].cells[1].seed).toBe(shards[1].cells[0].seed);
  });

  it('sharded 3 ways and merged equals the comparison run whole, byte for byte', async () => {
    const out = join(tmp, 'merged');
    const dirs = [3, 1, 2].map((k) => join(tmp, `shard-${k}`));
    expect(await mergeCommand({ dirs, out, quiet: true }, silent)).toBe(0);
    const files = ['compare.json', 'compare.md', 'compare.html', 'charts/compare-bars.svg'];
    for (const f of files) expect(await read(out, f), f).toBe(await read(join(tmp, 'whole-1'), f));
    // The merged per-replication values are the shards' cells, put back in replication order.
    const merged = JSON.parse(await read(out, 'compare.json')) as CompareResult;
    const byIndex = new Map(
      (await Promise.all([1, 2, 3].map(shardOf))).flatMap((s) => s.cells.map((c) => [c.index, c])),
    );
    const rr = [3, 4, 5].map((i) => byIndex.get(i)!.metrics[P99]);
    expect(merged.results.round_robin[P99]!.values).toEqual(rr);
    expect(merged.results.round_robin[P99]!.mean).toBeCloseTo((rr[0]! + rr[1]! + rr[2]!) / 3, 5); // compare.json: 6 decimals
    expect(merged.results.least_loaded['requests.completed']!.values).toHaveLength(3);
  });

  it('merge refuses a compare shard mixed with a sweep shard (exit 2)', async () => {
    const sweepDir = join(tmp, 'sweep-shard');
    const sweep = {
      file: 'test/fixtures/sweep-small.yaml',
      set: ['router.strategy=least_loaded,round_robin'],
      replications: 1,
      workers: 1,
      shard: '1/2',
      out: sweepDir,
      quiet: true,
    };
    expect(await sweepCommand(sweep, silent)).toBe(0);
    const c = capture();
    expect(await main(['merge', join(tmp, 'shard-1'), sweepDir], c.io)).toBe(2);
    expect(c.err()).toMatch(
      /is a sweep shard but .* is a compare shard; merge the shards of one run at a time/,
    );
  });

  it('merge refuses a missing shard and shards of different comparisons (exit 2)', async () => {
    const c = capture();
    expect(await main(['merge', join(tmp, 'shard-1'), join(tmp, 'shard-3')], c.io)).toBe(2);
    expect(c.err()).toContain('4 of 6 cells present; missing shard 2/3');
    const other = join(tmp, 'other-2');
    await compare('--replications', '2', '--workers', '1', '--shard', '2/3', '--out', other);
    const d = capture();
    expect(await main(['merge', join(tmp, 'shard-1'), other, join(tmp, 'shard-3')], d.io)).toBe(2);
    expect(d.err()).toMatch(/are shards of different comparisons/);
  });
});
