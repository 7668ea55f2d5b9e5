/**
 * The dispatch table from the scenario's `arrivals.process` to the builder of that process (one file each;
 * the contract they share is in arrival-process.ts).
 */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess, ProcessBuilder } from './arrival-process.js';
import { bursts } from './bursts.js';
import { constant } from './constant.js';
import { diurnal } from './diurnal.js';
import { gamma } from './gamma.js';
import { poisson } from './poisson.js';
import { ramp } from './ramp.js';

const PROCESSES: Record<ArrivalSpec['process'], ProcessBuilder> = {
  poisson,
  constant,
  gamma,
  diurnal,
  bursts,
  ramp,
};

/**
 * The arrival process `spec` names, drawing from `rng`, every rate multiplied by `scale`.
 * Throws RangeError on an unknown process or a rate that is not a positive finite number.
 */
export function makeArrivalProcess(spec: ArrivalSpec, rng: Rng, scale = 1): ArrivalProcess {
  const build = PROCESSES[spec.process];
  if (!build) throw new RangeError(`arrivals: unknown process '${spec.process}'`);
  if (!(spec.rate > 0) || !Number.isFinite(spec.rate)) {
    throw new RangeError(`arrivals.${spec.process}: rate must be a positive number, got ${spec.rate}`);
  }
  return build(spec, rng, scale);
}
