/**
 * Gamma renewal arrivals: gaps ~ Gamma with mean 1000 / rate ms and coefficient of variation params.cv
 * (cv = 1 is Poisson, < 1 more regular, > 1 burstier). Default cv 1.
 */

import { gamma1 } from '../../core/distributions/draws.js';
import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';
import { param } from './params.js';

export function gamma(spec: ArrivalSpec, rng: Rng, scale: number): ArrivalProcess {
  const cv = param(spec, 'cv', 1);
  if (!(cv > 0)) throw new RangeError(`arrivals.gamma: params.cv must be > 0, got ${cv}`);
  const shape = 1 / (cv * cv);
  const gapScale = 1000 / (spec.rate * scale) / shape;
  const t = new Float64Array(1); // not a closure variable, which V8 boxes on every write (see poisson.ts)
  return {
    next() {
      t[0] += gapScale * gamma1(rng, shape);
      return t[0];
    },
  };
}
