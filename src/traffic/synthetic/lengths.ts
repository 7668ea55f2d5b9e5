/** Token lengths: a distribution's draw rounded to the nearest integer, in 1..MAX_TOKENS. */

import { MAX_TOKENS } from '../../core/limits.js';

/**
 * A draw as a token length. Callers keep the distribution's own sampler (makeSampler) and call this on
 * its draw, so each call site sees one sampler (which V8 inlines) rather than a shared wrapper closure
 * calling several.
 */
export function tokenCount(draw: number): number {
  // The loader bounds the mean and p99; the cap bounds the rare draw beyond them (a heavy tail).
  return Math.min(MAX_TOKENS, Math.max(1, Math.round(draw)));
}
