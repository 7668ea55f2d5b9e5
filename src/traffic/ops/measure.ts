/** One streaming pass over a source for its row count and first/last times (for target_rate and loop). */
import type { RequestSource } from '../source.js';

export interface TraceExtent {
  rows: number;
  first_ms: number;
  last_ms: number;
  /** last - first (0 for fewer than two rows). */
  span_ms: number;
}

/**
 * The extent of a stream of arrival times, fed in order by `add`; shared by `measure` and `trace stats` so
 * both count rows and the first/last time the same way.
 */
export class ExtentTracker {
  rows = 0;
  first_ms = 0;
  last_ms = 0;

  add(t_ms: number): void {
    if (this.rows === 0) this.first_ms = t_ms;
    this.last_ms = t_ms;
    this.rows++;
  }

  extent(): TraceExtent {
    return {
      rows: this.rows,
      first_ms: this.first_ms,
      last_ms: this.last_ms,
      span_ms: this.last_ms - this.first_ms,
    };
  }
}

/** Consumes and closes `src`. */
export function measure(src: RequestSource): TraceExtent {
  const e = new ExtentTracker();
  for (let r = src.next(); r !== null; r = src.next()) e.add(r.t_ms);
  src.close?.();
  return e.extent();
}
