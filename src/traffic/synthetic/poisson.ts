/** Poisson arrivals: exponential gaps with mean 1000 / rate ms. */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';

export function poisson(spec: ArrivalSpec, rng: Rng, scale: number): ArrivalProcess {
  const meanGap = 1000 / (spec.rate * scale);
  // The clock in a typed array, not a closure variable: V8 boxes a double kept in a closure on every write.
  const t = new Float64Array(1);
  return {
    next() {
      t[0] += -meanGap * Math.log(1 - rng.next());
      return t[0];
    },
  };
}
