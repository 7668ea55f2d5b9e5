/**
 * Time-bucketed series on a shared Timebase: bucket i covers [i*w, (i+1)*w) for the timebase's current
 * width w. Memory is bounded by the timebase's cap, never by the number of requests or the simulated span:
 * when the span outgrows the cap, the timebase doubles w and every series merges its buckets in pairs.
 * Merging is exact for what the series hold: counts and areas add, end-of-bucket samples keep the later
 * one (the value at the merged bucket's end), so every figure the report derives (sums, time-weighted
 * means from areas, ratios of counts, values at bucket ends) is what a run at the coarse width would give.
 */
import type { Coarsenable, Timebase } from './timebase.js';

/**
 * Buckets a series holds before it first grows (2 KB), so that a run of up to this many buckets never
 * grows one: the growth is a branch first taken mid-run, and it deoptimized every recording function that
 * add() was inlined into (1M-request bench, 111 buckets: ~2% CPU with 64).
 */
const INITIAL_BUCKETS = 256;

/** A count (or an area, in value·ms) per bucket: arrivals, errors, queued time, ... */
export class CountSeries implements Coarsenable {
  values: Float64Array;
  /** addSpan's two times, handed to addSpanOf. */
  private readonly span = new Float64Array(2);
  /** Buckets touched so far (highest index + 1). */
  length = 0;
  constructor(private readonly tb: Timebase) {
    this.values = new Float64Array(Math.min(INITIAL_BUCKETS, tb.cap));
    tb.register(this);
  }

  /** Add `n` to the bucket that holds time `t_ms`. */
  add(t_ms: number, n = 1): void {
    this.addAt(this.tb.bucketAt(t_ms), n);
  }

  /** Add to bucket b of the current width (callers that already know the bucket skip a division). */
  addAt(b: number, n = 1): void {
    const k = b < this.tb.cap ? b : this.tb.fit(b);
    if (k >= this.values.length) this.grow(k);
    this.values[k] += n;
    if (k >= this.length) this.length = k + 1;
  }

  /**
   * Add `v` per ms of the span [t0, t1) to the buckets it covers (the area of a busy or queued stretch):
   * the time-weighted mean of a gauge over a bucket is then its value / bucket width.
   */
  addSpan(t0: number, t1: number, v = 1): void {
    const s = this.span;
    s[0] = t0;
    s[1] = t1;
    this.addSpanOf(s, 0, v);
  }

  /**
   * addSpan(times[k], times[k + 1], v), for hot callers: a double passed to a call that V8 does not
   * inline is boxed (16 bytes per call); a Float64Array and an index are not.
   */
  addSpanOf(times: Float64Array, k: number, v = 1): void {
    const t0 = times[k];
    const t1 = times[k + 1];
    if (!(t1 > t0)) return;
    // Coarsen first, so that every bucket the span covers fits the cap at one width.
    this.tb.fit(Math.max(0, Math.ceil(t1 / this.tb.interval_ms) - 1));
    const iv = this.tb.interval_ms;
    let start = t0;
    let b = Math.floor(t0 / iv);
    while (start < t1) {
      const end = Math.min(t1, (b + 1) * iv);
      this.addAt(b, v * (end - start));
      start = end;
      b++;
    }
  }

  /** Values of the first `n` buckets as a plain array (zeros past what was touched). */
  toArray(n: number): number[] {
    const out = new Array<number>(n).fill(0);
    const m = Math.min(n, this.length);
    for (let i = 0; i < m; i++) out[i] = this.values[i];
    return out;
  }

  halve(): void {
    const v = this.values;
    const n = Math.ceil(this.length / 2);
    for (let j = 0; j < n; j++) v[j] = v[2 * j] + (2 * j + 1 < this.length ? v[2 * j + 1] : 0);
    v.fill(0, n, this.length);
    this.length = n;
  }

  private grow(b: number): void {
    this.values = grownToHold(this.values, b, this.tb.cap);
  }
}

/**
 * One value per bucket, sampled at bucket ends (quota used, health, cumulative busy time). A bucket never
 * sampled carries the last value sampled before it (the value did not change as far as anyone saw).
 */
export class SampleSeries implements Coarsenable {
  private values: Float64Array;
  /** Buckets sampled so far (highest index + 1). */
  length = 0;
  constructor(private readonly tb: Timebase) {
    this.values = new Float64Array(Math.min(INITIAL_BUCKETS, tb.cap));
    tb.register(this);
  }

  /** The value at the end of bucket `bucket` of the current width. */
  sample(bucket: number, v: number): void {
    const k = bucket < this.tb.cap ? bucket : this.tb.fit(bucket);
    if (k >= this.values.length) this.grow(k);
    const vs = this.values;
    const last = this.length > 0 ? vs[this.length - 1] : v;
    for (let j = this.length; j < k; j++) vs[j] = last;
    vs[k] = v;
    if (k >= this.length) this.length = k + 1;
  }

  /** The first `n` buckets; past the last sample the last value carries, `fill` when none was taken. */
  toArray(n: number, fill: number): number[] {
    const out = new Array<number>(n);
    const m = Math.min(n, this.length);
    for (let i = 0; i < m; i++) out[i] = this.values[i];
    const carry = this.length > 0 ? this.values[this.length - 1] : fill;
    for (let i = m; i < n; i++) out[i] = carry;
    return out;
  }

  halve(): void {
    const v = this.values;
    const len = this.length;
    const n = Math.ceil(len / 2);
    for (let j = 0; j < n; j++) v[j] = v[Math.min(2 * j + 1, len - 1)];
    this.length = n;
  }

  private grow(b: number): void {
    this.values = grownToHold(this.values, b, this.tb.cap);
  }
}

/** `values` copied into an array that holds index `b`: doubled as needed, but no longer than `cap` needs. */
function grownToHold(values: Float64Array, b: number, cap: number): Float64Array {
  let n = values.length;
  while (n <= b) n *= 2;
  const v = new Float64Array(Math.max(b + 1, Math.min(n, cap)));
  v.set(values);
  return v;
}
