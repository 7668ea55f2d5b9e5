/** Stops a source at the horizon: records at or after horizon_ms end it (and close the underlying one). */
import type { ArrivalRecord, RequestSource } from '../source.js';

export function untilHorizon(src: RequestSource, horizonMs: number): RequestSource {
  if (horizonMs === Number.POSITIVE_INFINITY) return src;
  let done = false;
  return {
    get skipped() {
      return src.skipped ?? 0;
    },
    next(): ArrivalRecord | null {
      if (done) return null;
      const r = src.next();
      if (r === null || r.t_ms >= horizonMs) {
        done = true;
        src.close?.();
        return null;
      }
      return r;
    },
    close: () => src.close?.(),
  };
}
