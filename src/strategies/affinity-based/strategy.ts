/**
 * affinity_based: sticky sessions. The builder declares `pinsSessions`, so the router pins each session to
 * the model its first request went to (and re-pins when that model becomes ineligible or the entry
 * expires) whether or not session_affinity is on; this picker places new sessions (and session-less
 * requests) on the least-loaded model, or round-robin without a LoadView. No options.
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import { LeastLoadedFallback } from '../common.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'affinity_based';
const WITH_LOAD = 'affinity_based: new session, lowest load';
const NO_LOAD = 'affinity_based: new session, no load view, round-robin';

class AffinityPicker implements Picker {
  readonly uses = { load: true, cache: false, quota: false };
  private readonly fallback = new LeastLoadedFallback();
  pick(s: PickContext): number {
    return this.fallback.pick(s, WITH_LOAD, NO_LOAD);
  }
}

export const affinityBased = defineStrategy({
  NAME,
  options: strictOptions({}),
  pinsSessions: true,
  build: () => new AffinityPicker(),
});
