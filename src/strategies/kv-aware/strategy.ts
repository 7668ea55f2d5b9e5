/**
 * kv_aware: the eligible model with the most free KV-cache blocks (cache.freeKvBlocks: serving engines'
 * paged KV caches), lower load breaking ties, then a seeded draw. Models that report no KV figure (NaN)
 * are passed over; when no eligible model reports one, it picks the least-loaded model and says so.
 * total_score = 1 when a KV figure decided, else the least-loaded score. No options. The figure is seen
 * as of the last refresh when router.signals.refresh is set, like the other signals.
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import type { CacheView } from '../../router/views.js';
import { LeastLoadedFallback } from '../common.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'kv_aware';
const REASON = 'kv_aware: most free KV blocks';
const NO_KV = 'kv_aware: no KV figures, lowest load';
const NO_KV_NO_LOAD = 'kv_aware: no KV figures or load view, round-robin';

class KvAwarePicker implements Picker {
  readonly uses = { load: true, cache: false, quota: false };
  private readonly fallback = new LeastLoadedFallback();
  constructor(private readonly view: CacheView | null) {}

  pick(s: PickContext): number {
    const view = this.view;
    if (view !== null && view.freeKvBlocks !== undefined) {
      const i = mostFree(s, view);
      if (i >= 0) {
        s.score = 1;
        s.reason = REASON;
        return i;
      }
    }
    return this.fallback.pick(s, NO_KV, NO_KV_NO_LOAD);
  }
}

/** The eligible model with the most free blocks (load, then a draw, on ties); -1 when none reports any. */
function mostFree(s: PickContext, view: CacheView): number {
  const { eligible, load, hasLoad, rng } = s;
  let best = -1;
  let bestFree = Number.NEGATIVE_INFINITY;
  let bestLoad = Number.POSITIVE_INFINITY;
  let ties = 0;
  for (let k = 0; k < s.count; k++) {
    const i = eligible[k];
    const free = view.freeKvBlocks!(i);
    if (Number.isNaN(free)) continue;
    const l = hasLoad ? load[i] : 0;
    if (free > bestFree || (free === bestFree && l < bestLoad)) {
      best = i;
      bestFree = free;
      bestLoad = l;
      ties = 1;
    } else if (free === bestFree && l === bestLoad) {
      ties++;
      if (rng.next() * ties < 1) best = i;
    }
  }
  return best;
}

export const kvAware = defineStrategy({
  NAME,
  options: strictOptions({}),
  build: (_o, ctx) => new KvAwarePicker(ctx.cache),
});
