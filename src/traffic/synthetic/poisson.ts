/** Poisson arrivals: exponential gaps with mean 1000 / rate ms. */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';

export function poisson(spec: ArrivalSpec, rng: Rng, scale: number): ArrivalProcess {
  const meanGap = 1000 / (spec.rate * scale);
  let t = 0;
  return {
    next() {
      t += -meanGap * Math.log(1 - rng.next());
      return t;
    },
  };
}
