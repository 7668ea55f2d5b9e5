/**
 * A ramp: a Poisson process whose rate moves linearly from params.from_rate (req/s, default 0) to `rate`
 * over params.ramp_ms (default 60 s), then stays at `rate`.
 */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';
import { param } from './params.js';
import { thinned } from './thinning.js';

export function ramp(spec: ArrivalSpec, rng: Rng, scale: number): ArrivalProcess {
  const from = (param(spec, 'from_rate', 0) * scale) / 1000;
  const to = (spec.rate * scale) / 1000;
  const len = param(spec, 'ramp_ms', 60_000);
  if (!(from >= 0)) throw new RangeError(`arrivals.ramp: params.from_rate must be >= 0, got ${from}`);
  if (!(len > 0)) throw new RangeError(`arrivals.ramp: params.ramp_ms must be > 0, got ${len}`);
  return thinned((t) => (t >= len ? to : from + ((to - from) * t) / len), Math.max(from, to), rng);
}
