/**
 * cache_aware: prefers the model with the higher cache hit rate, with a load term so that an overloaded
 * favourite spills over:  score = w * cache + (1 - w) * (1 - min(load, 1)),  w = options.cache_weight
 * (default 0.7). When the routing setting cache_optimization is on, models below min_cache_hit_rate are
 * skipped unless none reaches it (both are routing settings the picker is built from). Without a
 * CacheView it degrades to least_loaded (round-robin without a LoadView). Ties go to a random one of the
 * tied models.
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import { Best, bestNetOfLoad, LeastLoadedFallback } from '../common.js';
import { defineStrategy, numberOption, strictOptions } from '../options.js';

const NAME = 'cache_aware';
const DEFAULT_CACHE_WEIGHT = 0.7;
const REASON = 'cache_aware: best cache hit rate net of load';
const REASON_BELOW = 'cache_aware: no model reaches min_cache_hit_rate, best of the rest';
const NO_CACHE_LOAD = 'cache_aware: no cache view, least-loaded instead';
const NO_CACHE_NO_LOAD = 'cache_aware: no cache or load view, round-robin instead';

class CacheAwarePicker implements Picker {
  readonly uses = { load: true, cache: true, quota: false };
  private readonly fallback = new LeastLoadedFallback();
  private readonly best = new Best();
  constructor(
    private readonly w: number,
    /** Hit rate a model must reach to be preferred (-Infinity when cache_optimization is off). */
    private readonly minHit: number,
  ) {}

  pick(s: PickContext): number {
    if (!s.hasCache) return this.fallback.pick(s, NO_CACHE_LOAD, NO_CACHE_NO_LOAD);
    let i = bestNetOfLoad(s, this.best, s.cache, false, this.w, this.minHit);
    s.reason = REASON;
    if (i < 0 && s.count > 0) {
      i = bestNetOfLoad(s, this.best, s.cache, false, this.w, Number.NEGATIVE_INFINITY);
      s.reason = REASON_BELOW;
    }
    return i;
  }
}

export const cacheAware = defineStrategy({
  NAME,
  options: strictOptions({
    cache_weight: numberOption(
      'Weight of the cache hit rate against the load score',
      DEFAULT_CACHE_WEIGHT,
      0,
      1,
    ),
  }),
  settings: ['cache_optimization', 'min_cache_hit_rate'],
  build: (o, ctx) =>
    new CacheAwarePicker(
      o.cache_weight,
      ctx.config.cache_optimization ? ctx.config.min_cache_hit_rate : Number.NEGATIVE_INFINITY,
    ),
});
