import { describe, expect, it } from 'vitest';
import { fitLine, median } from './fit.js';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('fitLine', () => {
  it('recovers an exact line with R² 1 and zero error', () => {
    const f = fitLine([1, 2, 3, 4], [5, 7, 9, 11]);
    expect(f.intercept).toBeCloseTo(3, 12);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.quality.r2).toBeCloseTo(1, 12);
    expect(f.quality.mape_pct).toBeCloseTo(0, 9);
    expect(f.quality.points).toBe(4);
  });

  it('gives least squares, R² and per-point percentage errors on noisy points', () => {
    // y = 1 + x, with residuals +1, -1, -1, +1 at x = 0..3: OLS keeps slope 1, intercept 1.
    const f = fitLine([0, 1, 2, 3], [2, 1, 2, 5], 'absolute');
    expect(f.slope).toBeCloseTo(1, 12);
    expect(f.intercept).toBeCloseTo(1, 12);
    // SSres = 4, SStot = sum((y - 2.5)^2) = 0.25 + 2.25 + 0.25 + 6.25 = 9
    expect(f.quality.r2).toBeCloseTo(1 - 4 / 9, 12);
    expect(f.ape_pct[0]).toBeCloseTo(50, 9); // |2 - 1| / 2
    expect(f.ape_pct[3]).toBeCloseTo(20, 9); // |5 - 4| / 5
    expect(f.quality.max_ape_pct).toBeCloseTo(100, 9); // |1 - 2| / 1
  });

  it('weights by relative error by default, so small points are fitted as closely as large ones', () => {
    // Two exact small points and one large outlier: OLS is pulled to the outlier, relative weighting is not.
    const xs = [1, 2, 100];
    const ys = [2, 3, 150];
    const rel = fitLine(xs, ys);
    const abs = fitLine(xs, ys, 'absolute');
    expect(rel.ape_pct[0] + rel.ape_pct[1]).toBeLessThan(abs.ape_pct[0] + abs.ape_pct[1]);
    const sq = (a: number[]) => a.reduce((t, e) => t + e * e, 0);
    expect(sq(rel.ape_pct)).toBeLessThan(sq(abs.ape_pct)); // what relative weighting minimises
    // Weighted normal equations by hand: w = 1/y²; the fit solves them exactly.
    const w = ys.map((y) => 1 / (y * y));
    const sw = w.reduce((a, b) => a + b, 0);
    const mx = (w[0] * 1 + w[1] * 2 + w[2] * 100) / sw;
    const my = (w[0] * 2 + w[1] * 3 + w[2] * 150) / sw;
    const slope =
      xs.reduce((a, x, i) => a + w[i] * (x - mx) * (ys[i] - my), 0) /
      xs.reduce((a, x, i) => a + w[i] * (x - mx) ** 2, 0);
    expect(rel.slope).toBeCloseTo(slope, 12);
    expect(rel.intercept).toBeCloseTo(my - slope * mx, 12);
  });

  it('refits through the origin instead of returning a negative intercept', () => {
    const f = fitLine([1, 2, 3], [0.5, 2, 3.5], 'absolute'); // OLS: -1 + 1.5x
    expect(f.intercept).toBe(0);
    expect(f.slope).toBeCloseTo((0.5 + 4 + 10.5) / 14, 12);
  });

  it('clamps a negative slope to a flat line at the mean', () => {
    const f = fitLine([1, 2, 3], [3, 2, 1], 'absolute');
    expect(f.slope).toBe(0);
    expect(f.intercept).toBe(2);
  });

  it('fits one point as a flat line', () => {
    const f = fitLine([4], [10]);
    expect(f.intercept).toBe(10);
    expect(f.slope).toBe(0);
    expect(f.quality.r2).toBe(1);
  });
});
