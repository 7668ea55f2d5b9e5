import { describe, expect, it } from 'vitest';
import { ci95, excludesZero, mean, pairedDifferences, stddev, tQuantile975 } from './stats.js';

describe('stats', () => {
  it('mean and sample stddev on known numbers', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    // Sum of squared deviations 32, n - 1 = 7.
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(Number.isNaN(stddev([3]))).toBe(true);
  });

  it('t quantiles: table for small df, expansion beyond, approaching z', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(4)).toBe(2.776);
    expect(tQuantile975(9)).toBe(2.262);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(40)).toBeCloseTo(2.0211, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3);
    expect(tQuantile975(100000)).toBeCloseTo(1.96, 3);
    expect(() => tQuantile975(0)).toThrow(/df/);
  });

  it('the 95% t-interval is exact for given samples', () => {
    // xs = 10, 12, 14, 16, 18: mean 14, s = sqrt(40/4) = sqrt(10), t(4) = 2.776.
    const iv = ci95([10, 12, 14, 16, 18]);
    const h = (2.776 * Math.sqrt(10)) / Math.sqrt(5);
    expect(iv.mean).toBe(14);
    expect(iv.half_width).toBeCloseTo(h, 12);
    expect(iv.low).toBeCloseTo(14 - h, 12);
    expect(iv.high).toBeCloseTo(14 + h, 12);
    expect(iv.half_width).toBeCloseTo(3.9258, 3);
  });

  it('one sample has a mean but no interval', () => {
    expect(ci95([7])).toEqual({ n: 1, mean: 7, stddev: null, half_width: null, low: null, high: null });
    expect(() => ci95([])).toThrow();
  });

  it('paired differences remove the shared noise', () => {
    const base = [100, 200, 150, 300];
    const other = [104, 203, 156, 302]; // always a little worse
    const d = pairedDifferences(base, other);
    expect(d).toEqual([4, 3, 6, 2]);
    const iv = ci95(d);
    expect(iv.mean).toBe(3.75);
    expect(excludesZero(iv)).toBe(true);
    // Unpaired, the spread between replications (tens) swamps a difference of about 4.
    expect(ci95(base).half_width! > 50).toBe(true);
    expect(() => pairedDifferences([1], [1, 2])).toThrow(/pairs/);
  });
});
