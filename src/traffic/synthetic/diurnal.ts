/**
 * Diurnal arrivals: a Poisson process whose rate follows a cosine over params.period_ms (default 24 h),
 * rate(t) = rate * (1 - a * cos(2 pi (t + phase_ms) / period)), so the trough is at t = 0 (with phase 0),
 * the peak half a period later, and the mean over a period is `rate`. The swing is params.amplitude = a in
 * [0, 1), or params.peak_to_trough = r >= 1 (a = (r - 1) / (r + 1)); default r = 3.
 */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalProcess } from './arrival-process.js';
import { param } from './params.js';
import { thinned } from './thinning.js';

export function diurnal(spec: ArrivalSpec, rng: Rng, scale: number): ArrivalProcess {
  const period = param(spec, 'period_ms', 86_400_000);
  const phase = param(spec, 'phase_ms', 0);
  let a: number;
  if (spec.params?.amplitude !== undefined) a = param(spec, 'amplitude');
  else {
    const r = param(spec, 'peak_to_trough', 3);
    if (!(r >= 1)) throw new RangeError(`arrivals.diurnal: params.peak_to_trough must be >= 1, got ${r}`);
    a = (r - 1) / (r + 1);
  }
  if (!(a >= 0 && a < 1)) throw new RangeError(`arrivals.diurnal: amplitude must be in [0, 1), got ${a}`);
  if (!(period > 0)) throw new RangeError(`arrivals.diurnal: params.period_ms must be > 0`);
  const mean = (spec.rate * scale) / 1000;
  const w = (2 * Math.PI) / period;
  return thinned((t) => mean * (1 - a * Math.cos(w * (t + phase))), mean * (1 + a), rng);
}
