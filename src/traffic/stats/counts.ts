/**
 * Exact percentiles of whole numbers in memory proportional to the largest value, not to how many there
 * are: a count per value. Percentiles interpolate linearly between order statistics (numpy's default),
 * so they match what pandas or numpy report on the same column.
 */
export class IntCounts {
  private counts = new Float64Array(1024);
  n = 0;
  sum = 0;
  max = 0;

  /** v must be a whole number >= 0. */
  add(v: number): void {
    if (v >= this.counts.length) {
      let size = this.counts.length * 2;
      while (size <= v) size *= 2;
      const bigger = new Float64Array(size);
      bigger.set(this.counts);
      this.counts = bigger;
    }
    this.counts[v]++;
    this.n++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  mean(): number {
    return this.n > 0 ? this.sum / this.n : Number.NaN;
  }

  /** The k-th smallest value, 0-based. */
  private orderStat(k: number): number {
    let seen = 0;
    for (let v = 0; v <= this.max; v++) {
      seen += this.counts[v];
      if (seen > k) return v;
    }
    return this.max;
  }

  /** q in [0, 1]; NaN when empty. */
  quantile(q: number): number {
    if (this.n === 0) return Number.NaN;
    const h = (this.n - 1) * q;
    const lo = Math.floor(h);
    const a = this.orderStat(lo);
    if (h === lo) return a;
    const b = this.orderStat(lo + 1);
    return a + (h - lo) * (b - a);
  }
}
