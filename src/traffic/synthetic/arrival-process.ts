/**
 * The contract every arrival process implements. An arrival process yields absolute arrival times (ms from
 * the start of the run), non-decreasing, drawn from one Rng (the 'arrivals' stream). Each process lives in
 * its own file; process.ts holds the dispatch table from `arrivals.process` to a builder.
 */

import type { ArrivalSpec } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';

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
