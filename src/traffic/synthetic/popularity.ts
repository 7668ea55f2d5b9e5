/**
 * Which session an arrival belongs to: uniform over `count` sessions, or Zipf, where the session of rank r
 * (1-based; session index r - 1) is picked with probability proportional to 1 / r^s. Inverse CDF over a
 * precomputed cumulative table: O(log count) per pick, no allocation.
 */
import type { Rng } from '../../engine/rng.js';

export interface Popularity {
  /** A session index in [0, count). */
  pick(rng: Rng): number;
}

export function uniformPopularity(count: number): Popularity {
  checkCount(count);
  return { pick: (rng) => Math.floor(rng.next() * count) };
}

/** Throws RangeError unless count >= 1 and s >= 0 (s = 0 is uniform). */
export function zipfPopularity(count: number, s: number): Popularity {
  checkCount(count);
  if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`sessions: zipf_s must be >= 0, got ${s}`);
  const cum = new Float64Array(count);
  let total = 0;
  for (let r = 1; r <= count; r++) {
    total += 1 / r ** s;
    cum[r - 1] = total;
  }
  return {
    pick(rng) {
      const u = rng.next() * total;
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}

/** P(rank r) under Zipf(count, s), 1-based rank: for tests and reports. */
export function zipfProbability(count: number, s: number, r: number): number {
  let total = 0;
  for (let k = 1; k <= count; k++) total += 1 / k ** s;
  return 1 / r ** s / total;
}

function checkCount(count: number): void {
  if (!(count >= 1) || !Number.isInteger(count)) {
    throw new RangeError(`sessions: count must be a positive integer, got ${count}`);
  }
}
