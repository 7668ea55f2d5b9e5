/** Token lengths: a distribution's draw rounded to the nearest integer, in 1..MAX_TOKENS. */

import { type Distribution, makeSampler } from '../../core/distributions/kinds.js';
import { MAX_TOKENS } from '../../core/limits.js';
import type { Rng } from '../../engine/rng.js';

export type IntSampler = (rng: Rng) => number;

/** Throws RangeError (from makeSampler) on nonsensical parameters. */
export function tokenSampler(d: Distribution): IntSampler {
  const s = makeSampler(d);
  // The loader bounds the mean and p99; the cap bounds the rare draw beyond them (a heavy tail).
  return (rng) => Math.min(MAX_TOKENS, Math.max(1, Math.round(s(rng))));
}
