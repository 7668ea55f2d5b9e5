/** Keeps each record with probability `fraction` (one draw per record from `rng`); 1 keeps all, no draws. */
import type { Rng } from '../../engine/rng.js';
import type { ArrivalRecord, RequestSource } from '../source.js';

export function sampled(src: RequestSource, fraction: number, rng: Rng): RequestSource {
  if (fraction >= 1) return src;
  return {
    get skipped() {
      return src.skipped ?? 0;
    },
    next(): ArrivalRecord | null {
      for (let r = src.next(); r !== null; r = src.next()) if (rng.next() < fraction) return r;
      return null;
    },
    close: () => src.close?.(),
  };
}
