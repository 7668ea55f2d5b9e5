/**
 * An arrival process yields absolute arrival times (ms from the start of the run), non-decreasing, drawn
 * from one Rng (the 'arrivals' stream). Each process lives in its own file; `makeArrivalProcess` is the
 * dispatch table from the scenario's `arrivals.process` to a builder.
 */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import { bursts } from './bursts.js';
import { constant } from './constant.js';
import { diurnal } from './diurnal.js';
import { gamma } from './gamma.js';
import { poisson } from './poisson.js';
import { ramp } from './ramp.js';

export interface ArrivalProcess {
  /** The next arrival time in ms; never less than the previous one. */
  next(): number;
}

/**
 * Builds a process from its spec. `scale` multiplies every rate (the session generator uses it so that
 * `rate` stays the rate of requests when each conversation start brings several turns).
 * Throws RangeError on a rate or parameter that makes no sense.
 */
export type ProcessBuilder = (spec: ArrivalSpec, rng: Rng, scale: number) => ArrivalProcess;

export const PROCESSES: Record<ArrivalSpec['process'], ProcessBuilder> = {
  poisson,
  constant,
  gamma,
  diurnal,
  bursts,
  ramp,
};

export function makeArrivalProcess(spec: ArrivalSpec, rng: Rng, scale = 1): ArrivalProcess {
  const build = PROCESSES[spec.process];
  if (!build) throw new RangeError(`arrivals: unknown process '${spec.process}'`);
  if (!(spec.rate > 0) || !Number.isFinite(spec.rate)) {
    throw new RangeError(`arrivals.${spec.process}: rate must be a positive number, got ${spec.rate}`);
  }
  return build(spec, rng, scale);
}
