/**
 * A fixed-size log histogram of routing times (no allocation per sample): 8 buckets per doubling from
 * 1 ns, so a reported quantile is within ~9% of the true one. Samples are in microseconds.
 */
const BUCKETS = 320;
const PER_DOUBLING = 8;

export class TimingHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  private sum = 0;

  record(us: number): void {
    const ns = us * 1000;
    let b = ns <= 1 ? 0 : Math.floor(Math.log2(ns) * PER_DOUBLING);
    if (b >= BUCKETS) b = BUCKETS - 1;
    this.counts[b]++;
    this.n++;
    this.sum += us;
  }

  get count(): number {
    return this.n;
  }

  mean(): number {
    return this.n === 0 ? Number.NaN : this.sum / this.n;
  }

  /** Upper edge (µs) of the bucket holding quantile q (0..1). */
  quantile(q: number): number {
    if (this.n === 0) return Number.NaN;
    const target = q * this.n;
    let acc = 0;
    for (let b = 0; b < BUCKETS; b++) {
      acc += this.counts[b];
      if (acc >= target) return 2 ** ((b + 1) / PER_DOUBLING) / 1000;
    }
    return 2 ** (BUCKETS / PER_DOUBLING) / 1000;
  }
}
