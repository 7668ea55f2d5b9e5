/**
 * compare: cells with common random numbers, exact aggregation on a stubbed simulator, and on the real
 * simulator a deterministic comparison whose paired difference has the right sign.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/command.js';
import { main } from '../src/cli/index.js';
import { aggregate, mixtureQuantiles } from '../src/experiments/compare/aggregate.js';
import {
  compareCells,
  replicationSeeds,
  shardCells,
  strategyVariants,
} from '../src/experiments/compare/cells.js';
import { runCompare } from '../src/experiments/compare/compare.js';
import { defaultRunner, type ScenarioRunner } from '../src/experiments/compare/runner.js';
import { tQuantile975 } from '../src/experiments/compare/stats.js';
import type { Report } from '../src/report/types.js';
import type { Scenario } from '../src/scenario/types.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const sample: Report = JSON.parse(readFileSync(join(fixtures, 'report-sample.json'), 'utf8'));

/** A simulator stub: e2e p99 = 1000 + 100 for strategy "b" + (seed % 97); everything else from the sample. */
function stubRunner(calls: { strategy: string; seed: number }[] = []): ScenarioRunner {
  return {
    async load(file, opts = {}) {
      const strategy = String(opts.overrides?.['router.strategy'] ?? 'a');
      return {
        file,
        name: 'stub',
        seed: opts.seed ?? 42,
        variants: [],
        expect: [],
        models: Object.keys(sample.models).map((id) => ({ id })),
        router: { strategy },
      } as unknown as Scenario;
    },
    async run(s) {
      const strategy = (s.router as { strategy: string }).strategy;
      calls.push({ strategy, seed: s.seed });
      const r: Report = structuredClone(sample);
      r.latency.e2e_ms.p99 = 1000 + (strategy === 'b' ? 100 : 0) + (s.seed % 97);
      return r;
    },
  };
}

describe('compare cells', () => {
  it('common random numbers: the same seeds for every variant, distinct across replications', () => {
    const seeds = replicationSeeds(42, 4);
    expect(seeds[0]).toBe(42);
    expect(new Set(seeds).size).toBe(4);
    expect(replicationSeeds(42, 4)).toEqual(seeds);
    const cells = compareCells(strategyVariants(['a', 'b', 'c']), seeds);
    expect(cells).toHaveLength(12);
    for (const v of ['a', 'b', 'c'])
      expect(cells.filter((c) => c.variant === v).map((c) => c.seed)).toEqual(seeds);
    expect(cells[5]).toMatchObject({
      index: 5,
      variant: 'b',
      variant_index: 1,
      replication: 1,
      overrides: { 'router.strategy': 'b' },
    });
    // Shards partition the cells.
    const shards = [1, 2, 3].map((k) => shardCells(cells, k, 3).map((c) => c.index));
    expect(shards.flat().sort((x, y) => x - y)).toEqual(cells.map((c) => c.index));
    expect(() => compareCells(strategyVariants(['a', 'a']), seeds)).toThrow(/twice/);
  });

  it('aggregates exactly: t-interval per variant, paired difference against the first', async () => {
    const calls: { strategy: string; seed: number }[] = [];
    const res = await runCompare(
      { file: 'x.yaml', strategies: ['a', 'b'], replications: 3 },
      stubRunner(calls),
    );
    expect(calls).toHaveLength(6);
    const noise = res.seeds.map((s) => s % 97);
    const a = noise.map((n) => 1000 + n);
    const m = (a[0] + a[1] + a[2]) / 3;
    const sd = Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / 2);
    const ia = res.results.a['latency.e2e_ms.p99']!;
    expect(ia.mean).toBeCloseTo(m, 10);
    expect(ia.half_width!).toBeCloseTo((tQuantile975(2) * sd) / Math.sqrt(3), 10);
    expect(ia.values).toEqual(a);
    // Same seeds => the noise cancels in the pairs: b - a is exactly +100 in every replication.
    const d = res.differences.b['latency.e2e_ms.p99']!;
    expect(d.mean).toBeCloseTo(100, 10);
    expect(d.half_width).toBeCloseTo(0, 10);
    expect(d.significant).toBe(true);
    expect(res.differences.a).toBeUndefined();
    expect(res.ranking.map((r) => r.variant)).toEqual(['a', 'b']);
  });

  it('aggregation refuses an incomplete grid', () => {
    expect(() =>
      aggregate({
        scenario: 's',
        version: 'v',
        base_seed: 1,
        seeds: [1, 2],
        variants: strategyVariants(['a']),
        metrics: [],
        rank_by: 'x',
        cells: [],
      }),
    ).toThrow(/no result/);
  });

  it('mixes per-model CDFs into whole-run quantiles', () => {
    const one: Report = structuredClone(sample);
    for (const id of Object.keys(one.models).slice(1)) one.models[id].e2e_ms.count = 0;
    // With one model weighted, the mixture is that model's own quantiles.
    const first = Object.keys(one.models)[0];
    const q = mixtureQuantiles(one, 'e2e_ms');
    q.forEach((v, i) => {
      expect(v).toBeCloseTo(one.cdf.e2e_ms[first][i], 3);
    });
  });

  it('without variants or --strategies it is a usage error (exit 2)', async () => {
    const err: string[] = [];
    const io: Io = { stdout: () => {}, stderr: (s) => err.push(s), isTTY: false };
    expect(await main(['compare', join(fixtures, 'check-small.yaml'), '--replications', '2'], io)).toBe(2);
    expect(err.join('')).toMatch(/nothing to compare/);
  });
});

describe('compare on the real simulator', () => {
  it('is deterministic, and least_loaded beats round_robin on the slow-model scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-compare-'));
    try {
      const runner = await defaultRunner();
      const file = join(fixtures, 'check-small.yaml');
      const opts = { file, strategies: ['least_loaded', 'round_robin'], replications: 2 };
      const r1 = await runCompare(opts, runner);
      const r2 = await runCompare(opts, runner);
      expect(JSON.stringify(r1)).toBe(JSON.stringify(r2));
      const d = r1.differences.round_robin['latency.e2e_ms.p99']!;
      expect(d.mean).toBeGreaterThan(0);
      expect(r1.ranking[0].variant).toBe('least_loaded');
      // Replication 0 is `routesim run` with the scenario's own seed.
      expect(r1.seeds[0]).toBe(7);
      const out: string[] = [];
      const io: Io = { stdout: (s) => out.push(s), stderr: () => {}, isTTY: false };
      const argv = [
        'compare',
        file,
        '--strategies',
        'least_loaded,round_robin',
        '--replications',
        '2',
        '--out',
        dir,
      ];
      const code = await main(argv, io);
      expect(code).toBe(0);
      expect(out.join('')).toMatch(/1\. least_loaded/);
      const written = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8'));
      expect(written.variants.map((v: { name: string }) => v.name)).toEqual(['least_loaded', 'round_robin']);
      expect(readFileSync(join(dir, 'compare.md'), 'utf8')).toContain('![');
      expect(readFileSync(join(dir, 'compare.html'), 'utf8')).toContain('<svg');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a scenario's variants: block compares the same way as --strategies", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-variants-'));
    try {
      const file = join(dir, 'with-variants.yaml');
      const text = readFileSync(join(fixtures, 'check-small.yaml'), 'utf8');
      writeFileSync(
        file,
        `${text}variants:\n  - { name: ll, overrides: { router.strategy: least_loaded } }\n  - { name: rr, overrides: { router.strategy: round_robin } }\n`,
      );
      const runner = await defaultRunner();
      const byVariants = await runCompare({ file, replications: 2 }, runner);
      const byStrategies = await runCompare(
        { file, strategies: ['least_loaded', 'round_robin'], replications: 2 },
        runner,
      );
      expect(byVariants.variants.map((v) => v.name)).toEqual(['ll', 'rr']);
      const p = 'latency.e2e_ms.p99';
      expect(byVariants.results.rr[p]).toEqual(byStrategies.results.round_robin[p]);
      expect(byVariants.differences.rr[p]).toEqual(byStrategies.differences.round_robin[p]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
