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

export class Timebase {
  /** The current bucket width: base_ms × 2^k after k coarsenings. */
  interval_ms: number;
  /** Times the width has doubled. */
  coarsenings = 0;
  private readonly series: Coarsenable[] = [];

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
    const b = Math.floor(t / this.interval_ms);
    if (b < this.cap) return b;
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

  private coarsen(): void {
    this.interval_ms *= 2;
    this.coarsenings++;
    for (const s of this.series) s.halve();
  }
}
