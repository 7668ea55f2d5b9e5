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
  const count = Object.assign(() => z.number().min(0).max(1e6), {
    max: 1e6,
    show: (n: number) => `${n} tokens`,
  });
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
    expect(issues('gamma', { mean: 0, cv: 0.5 })).toEqual([['mean', 'gamma needs a mean more than 0']]);
    expect(issues('pareto', { scale: 0, shape: 2 })).toEqual([['scale', 'pareto needs a scale more than 0']]);
    expect(issues('pareto', { scale: 1, shape: 1 })?.[0][0]).toBe('shape');
  });

  it('refuse a mean or p99 that is not finite or above the quantity max', () => {
    const byName = new Map<string, z.ZodObject>(DISTRIBUTION_KINDS.map((k) => [k.name, k.schema(count)]));
    const message = (name: string, v: object) =>
      byName.get(name)?.safeParse({ dist: name, ...v }).error?.issues[0].message;
    // mean = median * exp(sigma^2 / 2), sigma = ln(p99 / median) / 2.326: median 100, p99 1e5 -> 8.2e3.
    expect(message('lognormal', { median: 100, p99: 1e5 })).toBeUndefined();
    // median 1, p99 1e6: the p99 is in range, but sigma = 5.94 makes the mean 4.55e7.
    expect(message('lognormal', { median: 1, p99: 1e6 })).toMatch(/mean of 45540000 tokens/);
    // A parameter out of range is one problem, at the parameter (the mean is not reported again).
    const tooBig = byName.get('lognormal')?.safeParse({ dist: 'lognormal', median: 400, p99: 1e308 }).error;
    expect(tooBig?.issues.map((i) => i.path.join('.'))).toEqual(['p99']);
    // median 0.01, p99 1e6: sigma = 7.92, mean = 0.01 * exp(31.4) = 4.3e11.
    expect(message('lognormal', { median: 0.01, p99: 1e6 })).toMatch(/mean of 412100000000 tokens/);
    expect(message('exponential', { mean: 3e5 })).toBe(
      'exponential has a p99 of 1382000 tokens; the mean and p99 of a distribution must be at most 1000000 tokens',
    );
    // pareto p99 = scale * 100^(1/shape) = 10 * 100^(1/1.1) = 6579.
    expect(message('pareto', { scale: 10, shape: 1.1 })).toBeUndefined();
    expect(message('pareto', { scale: 20_000, shape: 1.1 })).toMatch(/p99 of 1316000 tokens/);
    expect(message('normal', { mean: 1, stddev: 5e5 })).toMatch(/p99 of 1163000 tokens/);
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
