/**
 * Time-bucketed series with a fixed interval: bucket i covers [i*interval, (i+1)*interval). Memory grows
 * with simulated time / interval, never with the number of requests. Arrays grow on demand.
 */

/** A count per bucket (arrivals, errors, ...). */
export class CountSeries {
  values: Float64Array = new Float64Array(64);
  /** Buckets touched so far (highest index + 1). */
  length = 0;
  constructor(readonly interval_ms: number) {
    if (!(interval_ms > 0)) throw new RangeError(`CountSeries: interval must be > 0 ms, got ${interval_ms}`);
  }

  add(t_ms: number, n = 1): void {
    this.addAt(Math.floor(t_ms / this.interval_ms), n);
  }

  /** Add to bucket b directly (callers that already know the bucket skip a division). */
  addAt(b: number, n = 1): void {
    if (b >= this.values.length) this.grow(b);
    this.values[b] += n;
    if (b >= this.length) this.length = b + 1;
  }

  /**
   * Add `v` per ms of the span [t0, t1) to the buckets it covers (the area of a busy or queued stretch):
   * the time-weighted mean of a gauge over a bucket is then its value / bucket width.
   */
  addSpan(t0: number, t1: number, v = 1): void {
    const iv = this.interval_ms;
    let start = t0;
    let b = Math.floor(t0 / iv);
    while (start < t1) {
      const end = Math.min(t1, (b + 1) * iv);
      this.add(b * iv, v * (end - start));
      start = end;
      b++;
    }
  }

  /** Values of the first `n` buckets as a plain array. */
  toArray(n: number): number[] {
    if (n > this.values.length) this.grow(n);
    return Array.from(this.values.subarray(0, n));
  }

  private grow(b: number): void {
    let cap = this.values.length;
    while (cap <= b) cap *= 2;
    const v = new Float64Array(cap);
    v.set(this.values);
    this.values = v;
  }
}

/** One value per bucket, set by sampling at bucket ends (quota used, health). */
export class SampleSeries {
  readonly values: number[] = [];
  sample(bucket: number, v: number): void {
    while (this.values.length < bucket)
      this.values.push(this.values.length > 0 ? this.values[this.values.length - 1] : v);
    this.values[bucket] = v;
  }
  toArray(n: number, fill: number): number[] {
    const out = this.values.slice(0, n);
    while (out.length < n) out.push(out.length > 0 ? out[out.length - 1] : fill);
    return out;
  }
}
