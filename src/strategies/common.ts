/**
 * Small allocation-free building blocks shared by strategies: round-robin over the eligible set,
 * least-loaded with a random tie-break, and the load score. Each strategy still owns its own decision.
 */
import type { Snapshot } from '../router/strategy.js';

/** 1 - min(load, 1): 1 when idle, 0 when every slot is busy (or queueing). */
export function loadScore(load: number): number {
  return load >= 1 ? 0 : 1 - load;
}

/** A round-robin cursor over whatever set is eligible at each pick. */
export class Cursor {
  private next = 0;
  /** eligible[next % count], advancing the cursor; -1 when nothing is eligible. */
  pick(s: Snapshot): number {
    if (s.count === 0) return -1;
    const i = this.next % s.count;
    this.next = (this.next + 1) >>> 0;
    return s.eligible[i];
  }
}

/**
 * The eligible model with the lowest load; ties broken uniformly at random with s.rng (reservoir of one),
 * so equally idle models share traffic instead of the first one taking it all. -1 when none.
 */
export function leastLoaded(s: Snapshot): number {
  let best = -1;
  let bestLoad = Number.POSITIVE_INFINITY;
  let ties = 0;
  const { eligible, load } = s;
  for (let k = 0; k < s.count; k++) {
    const i = eligible[k];
    const l = load[i];
    if (l < bestLoad) {
      best = i;
      bestLoad = l;
      ties = 1;
    } else if (l === bestLoad) {
      ties++;
      if (s.rng.next() * ties < 1) best = i;
    }
  }
  return best;
}

/** Least-loaded when the snapshot has load, else round-robin; sets s.score and s.reason. */
export function leastLoadedOrRoundRobin(
  s: Snapshot,
  cursor: Cursor,
  withLoad: string,
  noLoad: string,
): number {
  if (s.hasLoad) {
    const i = leastLoaded(s);
    s.score = i < 0 ? 0 : loadScore(s.load[i]);
    s.reason = withLoad;
    return i;
  }
  s.score = 1;
  s.reason = noLoad;
  return cursor.pick(s);
}

/**
 * The eligible model with the best `w * v + (1 - w) * loadScore(load)`, where v is the model's signal
 * (`1 - signal` when `invert`, e.g. quota headroom from usage); models whose raw signal is below `min` are
 * skipped. Random tie-break; sets s.score; -1 when no model qualifies. Shared by cache_aware and quota_aware.
 */
export function bestNetOfLoad(
  s: Snapshot,
  signal: Float64Array,
  invert: boolean,
  w: number,
  min: number,
): number {
  const { eligible, load, hasLoad, rng } = s;
  let best = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  let ties = 0;
  for (let k = 0; k < s.count; k++) {
    const i = eligible[k];
    const raw = signal[i];
    if (raw < min) continue;
    const v = invert ? 1 - raw : raw;
    const sc = w * v + (1 - w) * (hasLoad ? loadScore(load[i]) : 1);
    if (sc > bestScore) {
      best = i;
      bestScore = sc;
      ties = 1;
    } else if (sc === bestScore) {
      ties++;
      if (rng.next() * ties < 1) best = i;
    }
  }
  s.score = best < 0 ? 0 : bestScore;
  return best;
}
