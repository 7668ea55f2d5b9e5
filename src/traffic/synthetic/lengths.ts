/** Token lengths: a distribution's draw rounded to the nearest integer, at least 1. */

import { type Distribution, makeSampler } from '../../core/distributions/kinds.js';
import type { Rng } from '../../engine/rng.js';

export type IntSampler = (rng: Rng) => number;

/** Throws RangeError (from makeSampler) on nonsensical parameters. */
export function tokenSampler(d: Distribution): IntSampler {
  const s = makeSampler(d);
  return (rng) => Math.max(1, Math.round(s(rng)));
}
