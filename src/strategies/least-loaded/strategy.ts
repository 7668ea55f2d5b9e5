/**
 * least_loaded: the eligible model with the lowest (in service + queued) / max_concurrency, ties broken at
 * random. Without a LoadView it degrades to round-robin and says so. total_score = 1 - min(load, 1).
 * No options.
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import { LeastLoadedFallback } from '../common.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'least_loaded';
const WITH_LOAD = 'least_loaded: lowest load';
const NO_LOAD = 'least_loaded: no load view, round-robin instead';

class LeastLoadedPicker implements Picker {
  readonly uses = { load: true, cache: false, quota: false };
  private readonly fallback = new LeastLoadedFallback();
  pick(s: PickContext): number {
    return this.fallback.pick(s, WITH_LOAD, NO_LOAD);
  }
}

export const leastLoaded = defineStrategy({
  NAME,
  options: strictOptions({}),
  build: () => new LeastLoadedPicker(),
});
