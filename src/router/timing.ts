/**
 * Routing time, sampled: with a stopwatch the router times one route() call in ROUTE_TIMING_EVERY (the
 * N-th, 2N-th, ...), since reading the wall clock twice per decision (~60 ns) cost about as much as
 * a cheap decision itself. The samples' mean and p99 estimate those of every call; the total is scaled
 * up by the calls made. The first N − 1 calls go untimed: the very first one runs cold (module and JIT
 * warm-up, milliseconds), and counted N times over it would dominate the mean of a long run.
 */

/** route() calls per timed one. */
export const ROUTE_TIMING_EVERY = 64;

/** Which route() calls to time, and the histogram of those timed. */
export class RouteTiming {
  readonly every: number;
  readonly samples = new TimingHistogram();
  /** Calls until the next timed one. */
  private untilNext: number;

  /** `every` >= 1: time one call in `every` (1 times them all). */
  constructor(every = ROUTE_TIMING_EVERY) {
    if (!(Number.isInteger(every) && every >= 1))
      throw new RangeError(`RouteTiming: every must be an integer >= 1, got ${every}`);
    this.every = every;
    this.untilNext = every;
  }

  /** Call once per route() call: whether to time this one. */
  due(): boolean {
    if (--this.untilNext > 0) return false;
    this.untilNext = this.every;
    return true;
  }

  /** Estimates over `calls` route() calls, or null when none was timed. */
  estimate(calls: number): RoutingTimeEstimate | null {
    const h = this.samples;
    if (h.count === 0) return null;
    const mean = h.mean();
    return {
      mean,
      p99: h.quantile(0.99),
      total_ms: (mean * calls) / 1000,
      sampled: h.count,
      every: this.every,
    };
  }
}

/** Routing time per route() call (µs), estimated from `sampled` timed calls, one in `every`. */
export interface RoutingTimeEstimate {
  mean: number;
  p99: number;
  /** Estimated wall time in route() over all calls (ms): mean × calls. */
  total_ms: number;
  sampled: number;
  every: number;
}

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
