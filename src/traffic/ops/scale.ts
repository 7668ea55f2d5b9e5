/** Multiplies every record's time by `factor` (speed s is factor 1/s; a target rate is measured rate / target). */
import type { ArrivalRecord, RequestSource } from '../source.js';

export function timeScaled(src: RequestSource, factor: number): RequestSource {
  if (factor === 1) return src;
  return {
    get skipped() {
      return src.skipped ?? 0;
    },
    next(): ArrivalRecord | null {
      const r = src.next();
      if (r !== null) r.t_ms *= factor;
      return r;
    },
    close: () => src.close?.(),
  };
}
