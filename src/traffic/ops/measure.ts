/** One streaming pass over a source for its row count and first/last times (for target_rate and loop). */
import type { RequestSource } from '../source.js';

export interface TraceExtent {
  rows: number;
  first_ms: number;
  last_ms: number;
  /** last - first (0 for fewer than two rows). */
  span_ms: number;
}

/** Consumes and closes `src`. */
export function measure(src: RequestSource): TraceExtent {
  let rows = 0;
  let first = 0;
  let last = 0;
  for (let r = src.next(); r !== null; r = src.next()) {
    if (rows === 0) first = r.t_ms;
    last = r.t_ms;
    rows++;
  }
  src.close?.();
  return { rows, first_ms: first, last_ms: last, span_ms: last - first };
}
