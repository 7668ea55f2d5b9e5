import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../engine/rng.js';
import { exp01, gamma1, normal01 } from './draws.js';

/** erfc by Numerical Recipes' Chebyshev fit (|relative error| < 1.2e-7), enough for KS at n = 1e5. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
const normalCdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

/** Kolmogorov–Smirnov statistic D of a sample against a continuous CDF. */
function ksStatistic(xs: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}
/** Asymptotic KS critical value at α = 0.001: 1.9495 / sqrt(n). */
const ksCrit001 = (n: number) => 1.9495 / Math.sqrt(n);

/** |count - n p| within 4.5 binomial standard deviations (two-sided p ≈ 7e-6). */
function expectBinomial(count: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p)).toBeLessThan(4.5 * sd);
}

describe('normal01 (ziggurat)', () => {
  const n = 1_000_000;
  const rng = new SeededRng(20260101);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = normal01(rng);

  it('has mean 0, variance 1, skewness 0, kurtosis 3 (each within 4.5 standard errors)', () => {
    let m = 0;
    for (const x of xs) m += x;
    m /= n;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (const x of xs) {
      const d = x - m;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    expect(Math.abs(m)).toBeLessThan(4.5 * Math.sqrt(1 / n));
    expect(Math.abs(m2 - 1)).toBeLessThan(4.5 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / m2 ** 1.5)).toBeLessThan(4.5 * Math.sqrt(6 / n));
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(4.5 * Math.sqrt(24 / n));
  });

  it('puts the right mass in each tail, including beyond the base strip (3.654)', () => {
    for (const c of [1, 2, 3, 3.6541528853610088, 4]) {
      let hi = 0;
      let lo = 0;
      for (const x of xs) {
        if (x > c) hi++;
        else if (x < -c) lo++;
      }
      const p = 1 - normalCdf(c);
      expectBinomial(hi, n, p);
      expectBinomial(lo, n, p);
      expectBinomial(hi + lo, n, 2 * p);
    }
  });

  it('passes Kolmogorov–Smirnov against the normal CDF at α = 0.001 (n = 1e5)', () => {
    const m = 100_000;
    const d = ksStatistic(xs.subarray(0, m), normalCdf);
    expect(d).toBeLessThan(ksCrit001(m));
  });

  it('is deterministic for a seed', () => {
    const a = new SeededRng(7);
    const b = new SeededRng(7);
    for (let i = 0; i < 1000; i++) expect(normal01(a)).toBe(normal01(b));
  });
});

describe('exp01 (ziggurat)', () => {
  const n = 1_000_000;
  const rng = new SeededRng(99);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = exp01(rng);

  it('has mean 1 and variance 1 (within 4.5 standard errors), never negative', () => {
    let m = 0;
    let min = Number.POSITIVE_INFINITY;
    for (const x of xs) {
      m += x;
      min = Math.min(min, x);
    }
    m /= n;
    let v = 0;
    for (const x of xs) v += (x - m) ** 2;
    v /= n;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(m - 1)).toBeLessThan(4.5 * Math.sqrt(1 / n));
    // Var of the sample variance of Exp(1) is (mu4 - 1) / n = 8 / n.
    expect(Math.abs(v - 1)).toBeLessThan(4.5 * Math.sqrt(8 / n));
  });

  it('puts the right mass in the tail, including beyond the base strip (7.697)', () => {
    for (const c of [0.5, 1, 3, 6, 7.697117470131487, 9]) {
      let k = 0;
      for (const x of xs) if (x > c) k++;
      expectBinomial(k, n, Math.exp(-c));
    }
  });

  it('passes Kolmogorov–Smirnov against 1 - e^-x at α = 0.001 (n = 1e5)', () => {
    const m = 100_000;
    const d = ksStatistic(xs.subarray(0, m), (x) => 1 - Math.exp(-x));
    expect(d).toBeLessThan(ksCrit001(m));
  });
});

describe('gamma1', () => {
  const n = 200_000;
  it('(normal draws inside) has mean = variance = shape', () => {
    const rng = new SeededRng(5);
    for (const shape of [0.5, 2, 9]) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = gamma1(rng, shape);
        s += x;
        s2 += x * x;
      }
      const mean = s / n;
      const v = s2 / n - mean * mean;
      expect(Math.abs(mean - shape)).toBeLessThan(4.5 * Math.sqrt(shape / n));
      // Var of the sample variance of Gamma(k): (mu4 - k^2) / n with mu4 = 3k^2 + 6k.
      expect(Math.abs(v - shape)).toBeLessThan(4.5 * Math.sqrt((2 * shape * shape + 6 * shape) / n));
    }
  });
});
