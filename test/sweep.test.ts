/**
 * Sweeps end to end through the CLI's command functions: a sweep sharded 3 ways and merged writes the same
 * bytes as the sweep run whole; the result does not depend on the number of worker threads; bad --set
 * values are refused (exit 2) naming the key; merge refuses incomplete or mixed shards.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/command.js';
import { main } from '../src/cli/index.js';
import { mergeCommand } from '../src/cli/merge.js';
import { type SweepArgs, sweepCommand } from '../src/cli/sweep.js';
import type { SweepResult } from '../src/experiments/sweep/index.js';

const FILE = 'test/fixtures/sweep-small.yaml';
const SETS = ['router.strategy=least_loaded,round_robin', 'router.max_load_threshold=0.5,2'];
let tmp: string;

const args = (over: Partial<SweepArgs>): SweepArgs => ({
  file: FILE,
  set: SETS,
  replications: 2,
  quiet: true,
  ...over,
});
const read = (dir: string, f: string) => readFile(join(dir, f), 'utf8');
/** The commands run with --quiet; anything they print anyway is dropped. */
const silent: Io = { stdout: () => {}, stderr: () => {}, isTTY: false };

function capture() {
  let out = '';
  let err = '';
  return {
    io: { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s), isTTY: false },
    out: () => out,
    err: () => err,
  };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'routesim-sweep-'));
  // The whole sweep in this thread, then on two worker threads.
  expect(await sweepCommand(args({ workers: 1, out: join(tmp, 'whole-1') }), silent)).toBe(0);
  expect(await sweepCommand(args({ workers: 2, out: join(tmp, 'whole-2') }), silent)).toBe(0);
  for (let k = 1; k <= 3; k++)
    expect(
      await sweepCommand(args({ workers: 1, shard: `${k}/3`, out: join(tmp, `shard-${k}`) }), silent),
    ).toBe(0);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('routesim sweep', () => {
  it('runs the grid: 2 × 2 variants × 2 replications, common seeds across variants', async () => {
    const r = JSON.parse(await read(join(tmp, 'whole-1'), 'sweep.json')) as SweepResult;
    expect(r.variants.map((v) => v.coords)).toEqual([
      ['least_loaded', '0.5'],
      ['least_loaded', '2'],
      ['round_robin', '0.5'],
      ['round_robin', '2'],
    ]);
    expect(r.cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Replication 0 is the scenario's own seed; replication r has the same seed in every variant.
    expect(r.definition.seeds[0]).toBe(11);
    expect(r.cells.map((c) => c.seed)).toEqual([0, 1, 2, 3].flatMap(() => r.definition.seeds));
    // Every request is accounted for in every cell (300 in the fixture; nothing fails or is rejected there).
    for (const c of r.cells) expect(c.metrics['requests.completed']).toBe(300);
    // Per-variant mean over replications is the mean of that variant's cells.
    const v = r.variants[3].name;
    const cells = r.cells.filter((c) => c.variant === v).map((c) => c.metrics['latency.e2e_ms.p99']!);
    expect(r.results[v]['latency.e2e_ms.p99']!.mean).toBeCloseTo((cells[0] + cells[1]) / 2, 9);
    expect(r.ranking).toHaveLength(4);
    const md = await read(join(tmp, 'whole-1'), 'sweep.md');
    expect(md).toContain('| round_robin | 2 |');
    expect(await read(join(tmp, 'whole-1'), 'charts/sweep-heatmap.svg')).toContain('<svg');
  });

  it('prints its ranking with the figures of sweep.md (it printed 14500 for 14,496 ± 1,626)', async () => {
    const c = capture();
    const dir = join(tmp, 'printed');
    expect(await sweepCommand(args({ workers: 1, out: dir, quiet: false }), c.io)).toBe(0);
    const md = await read(dir, 'sweep.md');
    const lines = c
      .out()
      .split('\n')
      .filter((l) => /^\s+\d+\. /.test(l));
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      const m = /^\s+(\d+)\. (\S+ \S+)\s+(\S.*)$/.exec(l);
      if (!m) throw new Error(`not a ranking line: ${l}`);
      expect(m[3]).toMatch(/ ± /);
      expect(md).toContain(`| ${m[1]} | ${m[2]} | ${m[3]} |`);
    }
    expect(c.out()).toContain('4 variants × 2 replications = 8 runs');
  });

  it('gives the same bytes with 1 and 2 worker threads', async () => {
    for (const f of ['sweep.json', 'sweep.md', 'charts/sweep-heatmap.svg'])
      expect(await read(join(tmp, 'whole-2'), f)).toBe(await read(join(tmp, 'whole-1'), f));
  });

  it('sharded 3 ways and merged equals the sweep run whole, byte for byte', async () => {
    const sizes = [];
    for (let k = 1; k <= 3; k++) {
      const s = JSON.parse(await read(join(tmp, `shard-${k}`), `sweep-shard-${k}-of-3.json`));
      sizes.push(s.cells.map((c: { index: number }) => c.index));
    }
    expect(sizes).toEqual([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5],
    ]);
    const out = join(tmp, 'merged');
    const shardDirs = [3, 1, 2].map((k) => join(tmp, `shard-${k}`));
    expect(await mergeCommand({ dirs: shardDirs, out, quiet: true }, silent)).toBe(0);
    for (const f of ['sweep.json', 'sweep.md', 'charts/sweep-heatmap.svg', 'charts/sweep-heatmap.vl.json'])
      expect(await read(out, f)).toBe(await read(join(tmp, 'whole-1'), f));
  });

  it('merge refuses a missing shard and shards of different sweeps (exit 2)', async () => {
    const c = capture();
    expect(await main(['merge', join(tmp, 'shard-1'), join(tmp, 'shard-3')], c.io)).toBe(2);
    expect(c.err()).toContain('5 of 8 cells present; missing shard 2/3');
    const other = join(tmp, 'other-2');
    expect(await sweepCommand(args({ replications: 1, workers: 1, shard: '2/3', out: other }), silent)).toBe(
      0,
    );
    const d = capture();
    expect(await main(['merge', join(tmp, 'shard-1'), other, join(tmp, 'shard-3')], d.io)).toBe(2);
    expect(d.err()).toMatch(/are shards of different sweeps/);
  });

  it('refuses bad --set values with the key named, before running anything (exit 2)', async () => {
    const c = capture();
    const code = await main(
      [
        'sweep',
        FILE,
        '--set',
        'router.strategy=least_loaded,fastest',
        '--set',
        'router.max_load_threshold=1,lots',
        '--out',
        join(tmp, 'bad'),
      ],
      c.io,
    );
    expect(code).toBe(2);
    expect(c.err()).toContain('override `router.strategy`');
    expect(c.err()).toContain('"fastest"');
    expect(c.err()).toContain(
      'override `router.max_load_threshold`: expected a number >= 0, got string "lots"',
    );
    const d = capture();
    expect(await main(['sweep', FILE, '--set', 'models.nope.max_concurrency=4'], d.io)).toBe(2);
    expect(d.err()).toContain('override `models.nope.max_concurrency`: no model `nope`');
    // A value out of range is refused before any cell runs (it used to throw a RangeError mid-sweep).
    const z = capture();
    expect(
      await main(['sweep', FILE, '--set', 'traffic.arrivals.rate=0,30/s', '--out', join(tmp, 'zero')], z.io),
    ).toBe(2);
    expect(z.err()).toContain('override `traffic.arrivals.rate`: must be more than 0');
    const e = capture();
    expect(await main(['sweep', FILE, '--set', 'router.strategy', '--shard', '1/2'], e.io)).toBe(2);
    expect(e.err()).toContain('--set router.strategy: expected key=v1,v2');
  });
});
