/**
 * Constant arrivals: exactly 1000 / rate ms apart, the first at t = 0. Times are i * gap (not a running
 * sum) so that a million arrivals do not drift by accumulated rounding.
 */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';

export function constant(spec: ArrivalSpec, _rng: Rng, scale: number): ArrivalProcess {
  const gap = 1000 / (spec.rate * scale);
  let i = 0;
  return {
    next() {
      return i++ * gap;
    },
  };
}
