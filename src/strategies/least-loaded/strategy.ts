/**
 * least_loaded: the eligible model with the lowest (in service + queued) / max_concurrency, ties broken at
 * random. Without a LoadView it degrades to round-robin and says so. total_score = 1 - min(load, 1).
 */

import type { Picker, Snapshot, StrategyBuilder } from '../../router/strategy.js';
import { Cursor, leastLoadedOrRoundRobin } from '../common.js';
import { checkKeys } from '../options.js';

export const NAME = 'least_loaded';
const WITH_LOAD = 'least_loaded: lowest load';
const NO_LOAD = 'least_loaded: no load view, round-robin instead';

class LeastLoadedPicker implements Picker {
  readonly uses = { load: true, cache: false, quota: false };
  private readonly cursor = new Cursor();
  pick(s: Snapshot): number {
    return leastLoadedOrRoundRobin(s, this.cursor, WITH_LOAD, NO_LOAD);
  }
}

export const leastLoaded: StrategyBuilder = {
  NAME,
  build(options) {
    checkKeys(NAME, options, []);
    return new LeastLoadedPicker();
  },
};
