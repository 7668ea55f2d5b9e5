/**
 * The timeline's clock face: the bucket width every series of one run shares, and the rule that keeps the
 * number of buckets bounded. A run starts at the configured width (`timeline.interval`, default 1 s) and,
 * when something lands in a bucket past the cap, doubles the width: every registered series merges its
 * buckets in pairs at once. Spans are not known in advance (a run drains past its horizon), so the width
 * is found as the run goes; a run whose span fits the cap at the configured width never coarsens.
 */

/** A series whose buckets can be merged in pairs (bucket j becomes old buckets 2j and 2j+1). */
export interface Coarsenable {
  halve(): void;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** Index of the low word of the Float64 in U32. */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** The next double above x >= 0 (finite). */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  F64[0] = x;
  if (U32[LO] === 0xffffffff) {
    U32[LO] = 0;
    U32[HI]++;
  } else U32[LO]++;
  return F64[0];
}

/** The next double below x > 0 (finite). */
function nextDown(x: number): number {
  F64[0] = x;
  if (U32[LO] === 0) {
    U32[LO] = 0xffffffff;
    U32[HI]--;
  } else U32[LO]--;
  return F64[0];
}

export class Timebase {
  /** The current bucket width: base_ms × 2^k after k coarsenings. */
  interval_ms: number;
  /** Times the width has doubled. */
  coarsenings = 0;
  private readonly series: Coarsenable[] = [];
  /**
   * The last bucket found and the exact range of times that floor to it ([lo, hi): found by stepping one
   * double at a time from the rounded bounds), so that most calls (times move forward, and one event's
   * several records share its time) return it without a division. Empty (hi = -1) after a coarsening.
   */
  private cur = 0;
  private lo = 0;
  private hi = -1;

  /** Throws on a width that is not a positive finite number or a cap below 2. */
  constructor(
    readonly base_ms: number,
    readonly cap: number,
  ) {
    if (!(base_ms > 0 && Number.isFinite(base_ms)))
      throw new RangeError(`Timebase: interval must be a finite number > 0 ms, got ${base_ms}`);
    if (!(cap >= 2)) throw new RangeError(`Timebase: cap must be >= 2 buckets, got ${cap}`);
    this.interval_ms = base_ms;
  }

  /** Join `s` to the series that coarsen together (register before anything is recorded). */
  register<T extends Coarsenable>(s: T): T {
    this.series.push(s);
    return s;
  }

  /** The bucket that holds time `t` (ms, >= 0), coarsening first when it lies past the cap. */
  bucketAt(t: number): number {
    if (t >= this.lo && t < this.hi) return this.cur;
    const b = Math.floor(t / this.interval_ms);
    if (b < this.cap) {
      // Learn forward moves only: a time in an older bucket (an attempt's start) keeps the current one.
      if (b >= 0 && (b > this.cur || this.hi < 0)) this.learn(b);
      return b;
    }
    if (!Number.isFinite(t)) throw new RangeError(`Timebase: time must be finite, got ${t} ms`);
    while (Math.floor(t / this.interval_ms) >= this.cap) this.coarsen();
    return Math.floor(t / this.interval_ms);
  }

  /** Bucket `b` of the current width as an index that fits the cap (coarsening as needed). */
  fit(b: number): number {
    if (b < this.cap) return b;
    if (!Number.isFinite(b)) throw new RangeError(`Timebase: bucket must be finite, got ${b}`);
    let k = b;
    while (k >= this.cap) {
      this.coarsen();
      k = Math.floor(k / 2);
    }
    return k;
  }

  /** Cache bucket b (>= 0) with its exact range of times (Math.floor(t / width) is monotone in t). */
  private learn(b: number): void {
    const lo = this.firstAtLeast(b);
    const hi = this.firstAtLeast(b + 1);
    // NaN: the edge was not found within a few doubles (no such width in practice): cache nothing.
    this.cur = b;
    this.lo = lo;
    this.hi = Number.isNaN(lo) || Number.isNaN(hi) ? -1 : hi;
  }

  /** The least time t >= 0 with Math.floor(t / width) >= k; NaN when not within 64 doubles of k × width. */
  private firstAtLeast(k: number): number {
    if (k === 0) return 0;
    const iv = this.interval_ms;
    let x = k * iv;
    if (!Number.isFinite(x)) return Number.NaN;
    let steps = 0;
    while (Math.floor(x / iv) < k) {
      x = nextUp(x);
      if (++steps > 64) return Number.NaN;
    }
    for (let y = nextDown(x); y >= 0 && Math.floor(y / iv) >= k; y = nextDown(x)) {
      x = y;
      if (++steps > 64) return Number.NaN;
    }
    return x;
  }

  private coarsen(): void {
    this.hi = -1;
    this.interval_ms *= 2;
    this.coarsenings++;
    for (const s of this.series) s.halve();
  }
}
