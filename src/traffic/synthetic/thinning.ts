/**
 * A non-homogeneous Poisson process by thinning (Lewis & Shedler): candidates at the peak rate, each kept
 * with probability rate(t) / peak. Exact for any rate curve bounded by `peakPerMs`.
 */
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';

/** `ratePerMs(t)` must stay within [0, peakPerMs]; peakPerMs > 0. */
export function thinned(ratePerMs: (t: number) => number, peakPerMs: number, rng: Rng): ArrivalProcess {
  const meanGap = 1 / peakPerMs;
  let t = 0;
  return {
    next() {
      for (;;) {
        t += -meanGap * Math.log(1 - rng.next());
        if (rng.next() * peakPerMs < ratePerMs(t)) return t;
      }
    },
  };
}
