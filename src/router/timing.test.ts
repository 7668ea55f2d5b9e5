import { describe, expect, it } from 'vitest';
import { TimingHistogram } from './timing.js';

describe('TimingHistogram', () => {
  it('mean is exact and p99 is within one bucket (~9%) of the true value', () => {
    const h = new TimingHistogram();
    for (let k = 1; k <= 1000; k++) h.record(k / 100); // 0.01 .. 10 µs
    expect(h.mean()).toBeCloseTo(5.005, 10);
    const p99 = h.quantile(0.99);
    expect(p99).toBeGreaterThanOrEqual(9.9);
    expect(p99).toBeLessThan(9.9 * 1.1);
  });
  it('is NaN when empty', () => {
    expect(new TimingHistogram().quantile(0.5)).toBeNaN();
  });
});
