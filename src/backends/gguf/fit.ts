/**
 * Least-squares line fits for calibration (relative-error weighted by default), constrained to non-negative coefficients (a latency model with
 * a negative base or slope would predict negative times somewhere), with R² and per-point absolute
 * percentage errors.
 */
import type { FitQuality } from './profile.js';

export interface LineFit {
  intercept: number;
  slope: number;
  quality: FitQuality;
  /** Absolute percentage error at each input point, in input order. */
  ape_pct: number[];
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * How points are weighted: 'relative' minimises squared relative errors (weights 1/y²), so a 16-token
 * prefill counts as much as a 512-token one and the per-point percentage errors stay even; 'absolute' is
 * ordinary least squares.
 */
export type Weighting = 'relative' | 'absolute';

/**
 * Fit y ≈ intercept + slope·x by (weighted) least squares; when that gives a negative intercept the line
 * is refit through the origin, and when the slope would be negative it is 0 and the intercept is the
 * weighted mean. R² is the plain (unweighted) coefficient of determination of the returned line.
 * Throws RangeError on no points.
 */
export function fitLine(
  xs: readonly number[],
  ys: readonly number[],
  weighting: Weighting = 'relative',
): LineFit {
  const n = xs.length;
  if (n === 0 || ys.length !== n)
    throw new RangeError(`fitLine: need matching, non-empty x and y (got ${n}, ${ys.length})`);
  const w = ys.map((y) => (weighting === 'relative' && y > 0 ? 1 / (y * y) : 1));
  let sw = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i];
    mx += w[i] * xs[i];
    my += w[i] * ys[i];
  }
  mx /= sw;
  my /= sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += w[i] * (xs[i] - mx) ** 2;
    sxy += w[i] * (xs[i] - mx) * (ys[i] - my);
  }
  let slope = sxx > 0 ? sxy / sxx : 0;
  let intercept = my - slope * mx;
  if (intercept < 0) {
    let sx2 = 0;
    let sxy0 = 0;
    for (let i = 0; i < n; i++) {
      sx2 += w[i] * xs[i] * xs[i];
      sxy0 += w[i] * xs[i] * ys[i];
    }
    intercept = 0;
    slope = sx2 > 0 ? sxy0 / sx2 : 0;
  }
  if (slope < 0) {
    slope = 0;
    intercept = my;
  }
  let meanY = 0;
  for (let i = 0; i < n; i++) meanY += ys[i] / n;
  let ssRes = 0;
  let ssTot = 0;
  const ape: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = intercept + slope * xs[i];
    ssRes += (ys[i] - f) ** 2;
    ssTot += (ys[i] - meanY) ** 2;
    ape.push(ys[i] !== 0 ? (Math.abs(ys[i] - f) / Math.abs(ys[i])) * 100 : f === 0 ? 0 : 100);
  }
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  return {
    intercept,
    slope,
    ape_pct: ape,
    quality: {
      r2,
      mape_pct: ape.reduce((a, b) => a + b, 0) / n,
      max_ape_pct: Math.max(...ape),
      points: n,
    },
  };
}
