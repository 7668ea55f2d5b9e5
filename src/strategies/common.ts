/**
 * Small allocation-free building blocks shared by strategies: round-robin over the eligible set, a running
 * argmax with a seeded tie-break, least-loaded, and "a signal net of load". Each strategy still owns its
 * own decision.
 */
import type { Rng } from '../engine/rng.js';
import { loadScore, type PickContext } from '../router/strategy.js';

/** The load score of model `i`, 1 without a LoadView (the score of strategies that ignore load). */
export function loadScoreAt(s: PickContext, i: number): number {
  return s.hasLoad ? loadScore(s.load[i]) : 1;
}

/** A round-robin cursor over whatever set is eligible at each pick. */
export class Cursor {
  private next = 0;
  /** eligible[next % count], advancing the cursor; -1 when nothing is eligible. */
  pick(s: PickContext): number {
    if (s.count === 0) return -1;
    const i = this.next % s.count;
    this.next = (this.next + 1) >>> 0;
    return s.eligible[i];
  }
}

/**
 * A running argmax: offer each candidate with its score; the best wins, and ties are broken uniformly at
 * random with the rng (a reservoir of one), so equal models share traffic instead of the first taking it
 * all. Reset before each pick; one instance per picker, so a pick allocates nothing.
 */
export class Best {
  /** The best candidate so far, -1 before any. */
  index = -1;
  /** Its score, -Infinity before any. */
  score = Number.NEGATIVE_INFINITY;
  private ties = 0;

  reset(): void {
    this.index = -1;
    this.score = Number.NEGATIVE_INFINITY;
    this.ties = 0;
  }

  offer(i: number, score: number, rng: Rng): void {
    if (score > this.score) {
      this.index = i;
      this.score = score;
      this.ties = 1;
    } else if (score === this.score) {
      this.ties++;
      if (rng.next() * this.ties < 1) this.index = i;
    }
  }
}

/**
 * The eligible model with the lowest load, ties broken as Best breaks them (the same draws, so the same
 * picks); -1 when none. Best's loop written out with locals: this runs on every least-loaded decision, and
 * a running best kept in registers instead of an object's fields is measurably cheaper per request.
 */
function leastLoaded(s: PickContext): number {
  const { eligible, load, rng } = s;
  let best = -1;
  let bestLoad = Number.POSITIVE_INFINITY;
  let ties = 0;
  for (let k = 0; k < s.count; k++) {
    const i = eligible[k];
    const l = load[i];
    if (l < bestLoad) {
      best = i;
      bestLoad = l;
      ties = 1;
    } else if (l === bestLoad) {
      ties++;
      if (rng.next() * ties < 1) best = i;
    }
  }
  return best;
}

/** What a picker that falls back to least-loaded (or round-robin without load) keeps between picks. */
export class LeastLoadedFallback {
  readonly cursor = new Cursor();

  /** Least-loaded when the context has load, else round-robin; sets s.score and s.reason. */
  pick(s: PickContext, withLoad: string, noLoad: string): number {
    if (s.hasLoad) {
      const i = leastLoaded(s);
      s.score = i < 0 ? 0 : loadScore(s.load[i]);
      s.reason = withLoad;
      return i;
    }
    s.score = 1;
    s.reason = noLoad;
    return this.cursor.pick(s);
  }
}

/**
 * The eligible model with the best `w * v + (1 - w) * loadScore(load)`, where v is the model's signal
 * (`1 - signal` when `invert`, e.g. quota headroom from usage); models whose raw signal is below `min` are
 * skipped. Random tie-break; sets s.score; -1 when no model qualifies. Shared by cache_aware and quota_aware.
 */
export function bestNetOfLoad(
  s: PickContext,
  best: Best,
  signal: Float64Array,
  invert: boolean,
  w: number,
  min: number,
): number {
  const { eligible, load, hasLoad, rng } = s;
  best.reset();
  for (let k = 0; k < s.count; k++) {
    const i = eligible[k];
    const raw = signal[i];
    if (raw < min) continue;
    const v = invert ? 1 - raw : raw;
    best.offer(i, w * v + (1 - w) * (hasLoad ? loadScore(load[i]) : 1), rng);
  }
  s.score = best.index < 0 ? 0 : best.score;
  return best.index;
}
