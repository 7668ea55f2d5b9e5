/**
 * A time window of a trace: records with start_ms <= t < end_ms, shifted so that start_ms becomes 0.
 * Reading stops at the first record past the end (traces are in time order).
 */
import type { ArrivalRecord, RequestSource } from '../source.js';

export function windowed(src: RequestSource, startMs: number, endMs: number): RequestSource {
  let done = false;
  return {
    get skipped() {
      return src.skipped ?? 0;
    },
    next(): ArrivalRecord | null {
      while (!done) {
        const r = src.next();
        if (r === null || r.t_ms >= endMs) {
          done = true;
          src.close?.();
          return null;
        }
        if (r.t_ms < startMs) continue;
        r.t_ms -= startMs;
        return r;
      }
      return null;
    },
    close: () => src.close?.(),
  };
}
