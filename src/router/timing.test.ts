import { describe, expect, it } from 'vitest';
import { RouteTiming, TimingHistogram } from './timing.js';

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

describe('RouteTiming', () => {
  it('times every N-th call, not the first (cold) one', () => {
    const t = new RouteTiming(4);
    const due: number[] = [];
    for (let call = 1; call <= 13; call++) if (t.due()) due.push(call);
    expect(due).toEqual([4, 8, 12]);
    const every = new RouteTiming(1);
    expect([every.due(), every.due()]).toEqual([true, true]);
  });

  it('estimates the total over all calls from the timed ones', () => {
    const t = new RouteTiming(10);
    let calls = 0;
    for (let k = 0; k < 1000; k++) {
      calls++;
      if (t.due()) t.samples.record(2 + (k % 20 === 9 ? 1 : 0)); // timed: k ≡ 9 (mod 10)
    }
    const e = t.estimate(calls);
    expect(e?.sampled).toBe(100);
    expect(e?.every).toBe(10);
    expect(e?.mean).toBeCloseTo(2.5, 10); // half of the timed calls (k ≡ 9 mod 20) took 3 µs
    expect(e?.total_ms).toBeCloseTo(2.5, 10); // 1000 calls × 2.5 µs
    expect(e?.p99).toBeGreaterThanOrEqual(3);
    expect(e?.p99).toBeLessThan(3.3);
  });

  it('says nothing when no call was timed, and takes only whole N >= 1', () => {
    expect(new RouteTiming().estimate(0)).toBeNull();
    expect(() => new RouteTiming(0)).toThrow(/integer >= 1/);
    expect(() => new RouteTiming(2.5)).toThrow(/integer >= 1/);
  });
});
