/**
 * The router's one RoutingDecision object and the reason strings it carries: rejection reasons by the
 * union of filter flags that removed models, and fallback reasons by level and pick reason, each built
 * once and then reused, so a decision allocates nothing in steady state.
 */
import { LEVEL_NOTES, rejectReason } from './filters.js';
import type { RoutingDecision } from './types.js';

const R_NO_MODELS = 'rejected: no models registered';

/** A blank decision, for the router to own and overwrite. */
export function blankDecision(): RoutingDecision {
  return {
    model_id: '',
    model_index: -1,
    reason: '',
    load_score: 0,
    cache_score: 0,
    quota_score: 0,
    health_score: 0,
    total_score: 0,
    attempted_models: 0,
    fallback_used: false,
    rejected: false,
    source: '',
  };
}

/** Cached reason strings (a few distinct ones per run). */
export class Reasons {
  private readonly rejects: string[] = [];
  private readonly fallbacks = LEVEL_NOTES.map(() => new Map<string, string>());

  /** The rejection reason naming the filters in `seen` ('no models registered' when there are none). */
  reject(seen: number, models: number): string {
    if (models === 0) return R_NO_MODELS;
    let r = this.rejects[seen];
    if (r === undefined) r = this.rejects[seen] = rejectReason(seen);
    return r;
  }

  /** `reason` prefixed with what fallback level `level` relaxed. */
  fallback(level: number, reason: string): string {
    const cache = this.fallbacks[level];
    let r = cache.get(reason);
    if (r === undefined) {
      r = LEVEL_NOTES[level] + reason;
      cache.set(reason, r);
    }
    return r;
  }
}

/** Overwrites `d` as a rejection with `reason`. */
export function reject(d: RoutingDecision, reason: string): RoutingDecision {
  d.model_id = '';
  d.model_index = -1;
  d.reason = reason;
  d.load_score = 0;
  d.cache_score = 0;
  d.quota_score = 0;
  d.health_score = 0;
  d.total_score = 0;
  d.fallback_used = false;
  d.rejected = true;
  d.source = 'rejected';
  return d;
}
