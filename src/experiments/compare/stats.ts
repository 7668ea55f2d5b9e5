/**
 * Small-sample statistics for replications: mean, sample standard deviation, Student-t 95% confidence
 * intervals (exact t quantiles for small n), and paired differences (common random numbers make
 * replication i of two variants a pair, so their difference has far less noise than either alone).
 */

/** Arithmetic mean; NaN for an empty list. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n - 1 in the denominator); NaN when n < 2. */
export function stddev(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

/** t_{0.975, df} for df = 1..30 (standard tables, 3 decimals). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z975 = 1.959963984540054;

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: the table for df <= 30, beyond it the
 * Cornish-Fisher expansion around the normal quantile (error < 1e-4). Throws for df < 1.
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1) || !Number.isInteger(df))
    throw new RangeError(`tQuantile975: df must be a positive integer, got ${df}`);
  if (df <= T975.length) return T975[df - 1];
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** A mean with its 95% confidence interval; `half_width`, `low`, `high` are null when n < 2. */
export interface Interval {
  n: number;
  mean: number;
  stddev: number | null;
  half_width: number | null;
  low: number | null;
  high: number | null;
}

/** Student-t 95% interval for the mean of `xs`: mean ± t_{0.975,n-1} · s/√n. Throws on an empty list. */
export function ci95(xs: readonly number[]): Interval {
  if (xs.length === 0) throw new RangeError('ci95: no samples');
  const m = mean(xs);
  if (xs.length < 2) return { n: 1, mean: m, stddev: null, half_width: null, low: null, high: null };
  const s = stddev(xs);
  const h = (tQuantile975(xs.length - 1) * s) / Math.sqrt(xs.length);
  return { n: xs.length, mean: m, stddev: s, half_width: h, low: m - h, high: m + h };
}

/** other[i] - base[i] for each replication i. Throws when the lists differ in length (not paired). */
export function pairedDifferences(base: readonly number[], other: readonly number[]): number[] {
  if (base.length !== other.length) {
    throw new RangeError(
      `pairedDifferences: ${base.length} vs ${other.length} samples; pairs need equal counts`,
    );
  }
  return other.map((x, i) => x - base[i]);
}

/** True when the interval excludes zero: the difference is significant at the 5% level. */
export function excludesZero(iv: Interval): boolean {
  return iv.low !== null && iv.high !== null && (iv.low > 0 || iv.high < 0);
}
