import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SeededRng } from '../../engine/rng.js';
import { DISTRIBUTION_KINDS, loadDistribution, makeSampler } from './kinds.js';

/** |count - n p| within 4.5 binomial standard deviations (two-sided p ≈ 7e-6). */
function expectBinomial(count: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p)).toBeLessThan(4.5 * sd);
}

describe('makeSampler', () => {
  const n = 200_000;
  it('lognormal hits its median and p99', () => {
    const s = makeSampler({ dist: 'lognormal', median: 200, p99: 900 });
    const rng = new SeededRng(3);
    let belowMedian = 0;
    let belowP99 = 0;
    for (let i = 0; i < n; i++) {
      const x = s(rng);
      if (x <= 200) belowMedian++;
      if (x <= 900) belowP99++;
    }
    expectBinomial(belowMedian, n, 0.5);
    expectBinomial(belowP99, n, 0.99);
  });

  it('exponential has the configured mean', () => {
    const s = makeSampler({ dist: 'exponential', mean: 100 });
    const rng = new SeededRng(4);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += s(rng);
    expect(Math.abs(sum / n - 100)).toBeLessThan(4.5 * (100 / Math.sqrt(n)));
  });
});

describe('the kinds', () => {
  const count = () => z.number().min(0);
  it('check ranges across parameters, at the parameter', () => {
    const byName = new Map<string, z.ZodObject>(DISTRIBUTION_KINDS.map((k) => [k.name, k.schema(count)]));
    const issues = (name: string, v: object) =>
      byName
        .get(name)
        ?.safeParse({ dist: name, ...v })
        .error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues('lognormal', { median: 10, p99: 5 })).toEqual([
      ['p99', 'lognormal needs 0 < median <= p99'],
    ]);
    expect(issues('uniform', { min: 3, max: 1 })).toEqual([['max', 'uniform needs min <= max']]);
    expect(issues('exponential', { mean: 0 })).toEqual([['mean', 'exponential needs a mean more than 0']]);
    expect(issues('empirical', {})).toEqual([['', 'empirical needs exactly one of `samples` or `file`']]);
    expect(issues('gamma', { mean: 1, cv: 0.5 })).toBeUndefined();
  });

  it('offer geometric for counts only', () => {
    expect(DISTRIBUTION_KINDS.filter((k) => k.countsOnly).map((k) => k.name)).toEqual(['geometric']);
  });

  it('load a copy, and an empirical file through the reader given', () => {
    const samples = [1, 2];
    const loaded = loadDistribution({ dist: 'empirical', samples }, () => []);
    expect(loaded).toEqual({ dist: 'empirical', samples: [1, 2] });
    expect(loaded.dist === 'empirical' && loaded.samples).not.toBe(samples);
    expect(loadDistribution({ dist: 'empirical', file: 'f.txt' }, (f) => [f.length])).toEqual({
      dist: 'empirical',
      samples: [5],
    });
    expect(loadDistribution({ dist: 'gamma', mean: 2, cv: 1 }, () => [])).toEqual({
      dist: 'gamma',
      mean: 2,
      cv: 1,
    });
  });
});
