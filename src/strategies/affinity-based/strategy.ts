/**
 * affinity_based: sticky sessions. The router pins each session to the model its first request went to
 * (and re-pins when that model becomes ineligible or the entry expires); this picker places new sessions
 * (and session-less requests) on the least-loaded model, or round-robin without a LoadView.
 */

import type { Picker, Snapshot, StrategyBuilder } from '../../router/strategy.js';
import { Cursor, leastLoadedOrRoundRobin } from '../common.js';
import { checkKeys } from '../options.js';

export const NAME = 'affinity_based';
const WITH_LOAD = 'affinity_based: new session, lowest load';
const NO_LOAD = 'affinity_based: new session, no load view, round-robin';

class AffinityPicker implements Picker {
  readonly uses = { load: true, cache: false, quota: false };
  private readonly cursor = new Cursor();
  pick(s: Snapshot): number {
    return leastLoadedOrRoundRobin(s, this.cursor, WITH_LOAD, NO_LOAD);
  }
}

export const affinityBased: StrategyBuilder = {
  NAME,
  build(options) {
    checkKeys(NAME, options, []);
    return new AffinityPicker();
  },
};
