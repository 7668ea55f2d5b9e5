import { describe, expect, it } from 'vitest';
import { SeededRng } from '../engine/rng.js';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('gives quantiles within 0.4% of the exact ones on a lognormal sample', () => {
    const rng = new SeededRng(1);
    const h = new Histogram();
    const xs: number[] = [];
    for (let k = 0; k < 50_000; k++) {
      const u = rng.next() || 1e-12;
      const v = Math.exp(5 + 1.5 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next()));
      xs.push(v);
      h.record(v);
    }
    xs.sort((a, b) => a - b);
    for (const q of [0.01, 0.1, 0.5, 0.9, 0.99, 0.999]) {
      const exact = xs[Math.ceil(q * xs.length) - 1];
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThan(0.004);
    }
    expect(h.quantile(0)).toBe(xs[0]);
    expect(h.quantile(1)).toBe(xs[xs.length - 1]);
    const qs = [0, 0.01, 0.5, 0.5, 0.9, 0.999, 1];
    expect(h.quantiles(qs)).toEqual(qs.map((q) => h.quantile(q)));
    expect(h.quantiles([0.9, 0.1])).toEqual([h.quantile(0.9), h.quantile(0.1)]);
    expect(h.mean()).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 6);
  });

  it('counts exact values, ignores NaN and negatives, and is 0 when empty', () => {
    const h = new Histogram();
    expect(h.quantile(0.5)).toBe(0);
    expect(h.mean()).toBe(0);
    h.record(Number.NaN);
    h.record(-1);
    expect(h.count).toBe(0);
    for (let k = 0; k < 10; k++) h.record(100);
    expect(h.count).toBe(10);
    expect(h.quantile(0.5)).toBe(100);
    expect(h.quantile(0.99)).toBe(100);
    h.record(0);
    expect(h.quantile(0)).toBe(0);
  });

  it('merges', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let k = 1; k <= 100; k++) (k % 2 ? a : b).record(k);
    a.merge(b);
    expect(a.count).toBe(100);
    expect(a.max).toBe(100);
    expect(Math.abs(a.quantile(0.5) - 50) / 50).toBeLessThan(0.004);
  });
});
