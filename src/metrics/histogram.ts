/**
 * A streaming latency histogram with fixed memory and bounded relative error (after HDR histograms, but
 * bucketed straight from the IEEE-754 bits, so recording is a few integer operations and no Math.log).
 *
 * Buckets: 128 linear sub-buckets per power of two, from 2^MIN_EXP to 2^MAX_EXP (about 0.001 ms to
 * 12 days of ms). A quantile is the midpoint of its bucket, clamped to the exact [min, max] seen, so its
 * relative error is at most 1/256 (0.4%). Values below 2^MIN_EXP (including 0) count in bucket 0;
 * values above the range in the last bucket. Mean, min and max are exact.
 *
 * Counts are held per power of two, a block of 128 allocated the first time a value lands in it: latencies
 * of one model span a few powers of two, so a histogram costs a few KB, not 40 KB, and a run with a
 * thousand models (three histograms each) stays small.
 */

const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const MIN_EXP = -10;
const MAX_EXP = 30;
const OCTAVES = MAX_EXP - MIN_EXP;
const BUCKETS = OCTAVES * SUB;
const BIAS = 1023;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the high word in the Float64 (the exponent and top mantissa bits). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** record()'s value, handed to recordAt. */
const SCRATCH = new Float64Array(1);

/** Bucket index of a value >= 0. */
function bucketOf(v: number): number {
  f64[0] = v;
  const hi = u32[HI];
  const e = ((hi >>> 20) & 0x7ff) - BIAS;
  if (e < MIN_EXP) return 0;
  if (e >= MAX_EXP) return BUCKETS - 1;
  return (e - MIN_EXP) * SUB + ((hi >>> (20 - SUB_BITS)) & (SUB - 1));
}

/** Lower bound of a bucket. */
function bucketLow(b: number): number {
  const e = Math.floor(b / SUB) + MIN_EXP;
  const s = b % SUB;
  return 2 ** e * (1 + s / SUB);
}

export class Histogram {
  /** Counts of octave o's SUB buckets (bucket b is blocks[b >> SUB_BITS][b & (SUB - 1)]); null: none yet. */
  private readonly blocks: (Float64Array | null)[] = new Array<Float64Array | null>(OCTAVES).fill(null);
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  /** Record one value; NaN and negative values are ignored (a latency that never happened). */
  record(v: number): void {
    SCRATCH[0] = v;
    this.recordAt(SCRATCH, 0);
  }

  /**
   * record(values[i]), for hot callers: a double passed to a call that V8 does not inline is boxed (16
   * bytes allocated per call); a Float64Array and an index are not. The body is here, not in record(), so
   * that it holds even where this call is inlined and a call to record() would not be.
   */
  recordAt(values: Float64Array, i: number): void {
    const v = values[i];
    if (!(v >= 0)) return;
    const b = bucketOf(v);
    const o = b >>> SUB_BITS;
    let blk = this.blocks[o];
    if (blk === null) {
      blk = new Float64Array(SUB);
      this.blocks[o] = blk;
    }
    blk[b & (SUB - 1)]++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Exact mean; 0 when empty. */
  mean(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  /** The q-quantile (0..1) within 0.4% relative error; 0 when empty. q = 0 and q = 1 are exact. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let o = 0; o < OCTAVES; o++) {
      const blk = this.blocks[o];
      if (blk === null) continue;
      for (let s = 0; s < SUB; s++) {
        seen += blk[s];
        if (seen >= rank) return this.valueAt(o * SUB + s);
      }
    }
    return this.max;
  }

  /** Quantiles at each of qs: one pass over the buckets when qs is ascending (as CDF_QUANTILES is). */
  quantiles(qs: readonly number[]): number[] {
    const out = new Array<number>(qs.length);
    let ascending = true;
    for (let k = 1; k < qs.length; k++) if (qs[k] < qs[k - 1]) ascending = false;
    if (!ascending || this.count === 0) return qs.map((q) => this.quantile(q));
    let seen = 0;
    let b = -1;
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k];
      if (q <= 0 || q >= 1) {
        out[k] = this.quantile(q);
        continue;
      }
      const rank = Math.max(1, Math.ceil(q * this.count));
      while (seen < rank && b < BUCKETS - 1) {
        b++;
        const blk = this.blocks[b >>> SUB_BITS];
        // An empty octave adds nothing: jump to its last bucket.
        if (blk === null) b |= SUB - 1;
        else seen += blk[b & (SUB - 1)];
      }
      out[k] = this.valueAt(b);
    }
    return out;
  }

  /** The representative value of bucket b: its midpoint, clamped to [min, max] (as quantile() gives it). */
  private valueAt(b: number): number {
    const lo = b === 0 ? 0 : bucketLow(b);
    const hi = b === 0 ? bucketLow(1) : bucketLow(b + 1);
    const mid = (lo + hi) / 2;
    return Math.min(this.max, Math.max(this.min, mid));
  }

  /** Add another histogram's counts into this one. */
  merge(other: Histogram): void {
    for (let o = 0; o < OCTAVES; o++) {
      const src = other.blocks[o];
      if (src === null) continue;
      let dst = this.blocks[o];
      if (dst === null) {
        dst = new Float64Array(SUB);
        this.blocks[o] = dst;
      }
      for (let s = 0; s < SUB; s++) dst[s] += src[s];
    }
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }
}
