/**
 * cache_aware: prefers the model with the higher cache hit rate, with a load term so that an overloaded
 * favourite spills over:  score = w * cache + (1 - w) * (1 - min(load, 1)),  w = options.cache_weight
 * (default 0.7). When config.cache_optimization is on, models below min_cache_hit_rate are skipped unless
 * none reaches it. Without a CacheView it degrades to least_loaded (round-robin without a LoadView).
 * Ties go to a random one of the tied models.
 */

import type { Picker, Snapshot, StrategyBuilder } from '../../router/strategy.js';
import { bestNetOfLoad, Cursor, leastLoadedOrRoundRobin } from '../common.js';
import { checkKeys, numberOption } from '../options.js';

export const NAME = 'cache_aware';
export const DEFAULT_CACHE_WEIGHT = 0.7;
const REASON = 'cache_aware: best cache hit rate net of load';
const REASON_BELOW = 'cache_aware: no model reaches min_cache_hit_rate, best of the rest';
const NO_CACHE_LOAD = 'cache_aware: no cache view, least-loaded instead';
const NO_CACHE_NO_LOAD = 'cache_aware: no cache or load view, round-robin instead';

class CacheAwarePicker implements Picker {
  readonly uses = { load: true, cache: true, quota: false };
  private readonly cursor = new Cursor();
  constructor(private readonly w: number) {}

  pick(s: Snapshot): number {
    if (!s.hasCache) return leastLoadedOrRoundRobin(s, this.cursor, NO_CACHE_LOAD, NO_CACHE_NO_LOAD);
    const min = s.cacheOptimization ? s.minCacheHitRate : Number.NEGATIVE_INFINITY;
    let i = this.best(s, min);
    s.reason = REASON;
    if (i < 0 && s.count > 0) {
      i = this.best(s, Number.NEGATIVE_INFINITY);
      s.reason = REASON_BELOW;
    }
    return i;
  }

  private best(s: Snapshot, minHit: number): number {
    return bestNetOfLoad(s, s.cache, false, this.w, minHit);
  }
}

export const cacheAware: StrategyBuilder = {
  NAME,
  build(options) {
    checkKeys(NAME, options, ['cache_weight']);
    return new CacheAwarePicker(numberOption(NAME, options, 'cache_weight', DEFAULT_CACHE_WEIGHT, 0, 1));
  },
};
