/** Poisson arrivals: exponential gaps with mean 1000 / rate ms. */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';

/**
 * A class, not a closure over `let t`: a double held in a closure's context is boxed anew on every write
 * (16 bytes per arrival), one in an object's field is updated in place.
 */
class PoissonProcess implements ArrivalProcess {
  private t = 0;
  constructor(
    private readonly meanGap: number,
    private readonly rng: Rng,
  ) {}
  next(): number {
    this.t += -this.meanGap * Math.log(1 - this.rng.next());
    return this.t;
  }
}

export function poisson(spec: ArrivalSpec, rng: Rng, scale: number): ArrivalProcess {
  return new PoissonProcess(1000 / (spec.rate * scale), rng);
}
