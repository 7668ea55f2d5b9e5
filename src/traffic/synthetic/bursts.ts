/**
 * On/off bursts: a Poisson process that alternates params.on_ms of burst and params.off_ms of calm,
 * starting with calm. During a burst the rate is params.burst_factor times the calm rate; the calm rate is
 * chosen so that the long-run mean is `rate`: calm = rate / (f * burst_factor + 1 - f), f = on / (on + off).
 * Defaults: on 10 s, off 50 s, factor 5.
 */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';
import { param } from './params.js';
import { thinned } from './thinning.js';

export function bursts(spec: ArrivalSpec, rng: Rng, scale: number): ArrivalProcess {
  const on = param(spec, 'on_ms', 10_000);
  const off = param(spec, 'off_ms', 50_000);
  const factor = param(spec, 'burst_factor', 5);
  if (!(on > 0 && off >= 0)) throw new RangeError('arrivals.bursts: need on_ms > 0 and off_ms >= 0');
  if (!(factor >= 1)) throw new RangeError(`arrivals.bursts: burst_factor must be >= 1, got ${factor}`);
  const f = on / (on + off);
  const calm = (spec.rate * scale) / 1000 / (f * factor + 1 - f);
  const burst = calm * factor;
  const cycle = on + off;
  return thinned((t) => (t % cycle < off ? calm : burst), burst, rng);
}

/** Whether time t (ms) falls in a burst window of a bursts spec (for tests and charts). */
export function inBurst(t: number, on_ms: number, off_ms: number): boolean {
  return t % (on_ms + off_ms) >= off_ms;
}
