import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { standardMetrics } from '../../report/check-metrics.js';
import { compareCells } from '../compare/cells.js';
import { runCellsParallel } from './pool.js';

const FILE = 'test/fixtures/sweep-small.yaml';
const metrics = standardMetrics(['fast-a', 'fast-b', 'slow']);

describe('runCellsParallel', () => {
  it('returns a shard of cells in index order, the same on 1 and 3 threads', async () => {
    const variants = ['least_loaded', 'round_robin', 'random'].map((s) => ({
      name: s,
      overrides: { 'router.strategy': s, 'traffic.requests': 50 },
    }));
    const cells = compareCells(variants, [1, 2]).filter((c) => c.index % 2 === 1);
    const one = await runCellsParallel(FILE, cells, metrics, { workers: 1 });
    const seen: number[] = [];
    const three = await runCellsParallel(FILE, cells, metrics, {
      workers: 3,
      onCell: (_r, done, total) => seen.push(done * 10 + total),
    });
    expect(one.results.map((r) => r.index)).toEqual([1, 3, 5]);
    expect(one.results.map((r) => r.metrics['requests.completed'])).toEqual([50, 50, 50]);
    expect(three).toEqual(one);
    expect(seen).toEqual([13, 23, 33]);
  });

  it('rethrows an invalid override from any thread as a UserError naming the key', async () => {
    const cells = compareCells(
      [1, 2, 3].map((i) => ({ name: `v${i}`, overrides: { 'router.strategy': 'fastest' } })),
      [1],
    );
    const err = await runCellsParallel(FILE, cells, metrics, { workers: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).problems[0].message).toMatch(/^override `router.strategy`: expected one of/);
  });
});
