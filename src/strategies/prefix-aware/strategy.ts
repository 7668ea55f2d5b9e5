/**
 * prefix_aware: sends a request to the model that already caches most of its prefix
 * (cache.prefixMatch(index, request), 0..1), guarded for balance: a model whose load exceeds the least
 * loaded eligible model's by more than options.max_imbalance (default 0.5, in load units, i.e. half of
 * max_concurrency) is not chosen for its prefix. With no match anywhere (or no prefix, or no
 * CacheView.prefixMatch) it picks the least-loaded model. total_score = the chosen model's prefix match.
 * The cache view comes from the build context.
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import type { CacheView } from '../../router/views.js';
import { LeastLoadedFallback } from '../common.js';
import { defineStrategy, numberOption, strictOptions } from '../options.js';

const NAME = 'prefix_aware';
const DEFAULT_MAX_IMBALANCE = 0.5;
const REASON = 'prefix_aware: longest cached prefix within the load-balance guard';
const NO_MATCH = 'prefix_aware: no cached prefix, lowest load';
const NO_MATCH_NO_LOAD = 'prefix_aware: no cached prefix, round-robin';
const NO_VIEW = 'prefix_aware: no prefix-match view, lowest load';
const NO_VIEW_NO_LOAD = 'prefix_aware: no prefix-match view or load view, round-robin';

class PrefixPicker implements Picker {
  readonly uses = { load: true, cache: false, quota: false };
  private readonly fallback = new LeastLoadedFallback();
  constructor(
    private readonly maxImbalance: number,
    private readonly view: CacheView | null,
  ) {}

  pick(s: PickContext): number {
    const view = this.view;
    if (view === null || view.prefixMatch === undefined) {
      return this.fallback.pick(s, NO_VIEW, NO_VIEW_NO_LOAD);
    }
    const best = bestPrefix(s, view, this.maxImbalance);
    if (best >= 0) {
      s.reason = REASON;
      return best;
    }
    const i = this.fallback.pick(s, NO_MATCH, NO_MATCH_NO_LOAD);
    s.score = 0;
    return i;
  }
}

/**
 * The eligible model with the longest cached prefix among those within the balance guard (lower load on
 * equal match), with s.score set to its match; -1 when no model matches any of the prefix.
 */
function bestPrefix(s: PickContext, view: CacheView, maxImbalance: number): number {
  const { eligible, count, load, hasLoad, request } = s;
  const blocks = request.prefix_blocks;
  if (count === 0 || blocks === undefined || blocks.length === 0) return -1;
  let minLoad = Number.POSITIVE_INFINITY;
  if (hasLoad) for (let k = 0; k < count; k++) if (load[eligible[k]] < minLoad) minLoad = load[eligible[k]];
  const ceiling = minLoad + maxImbalance;
  let best = -1;
  let bestMatch = 0;
  for (let k = 0; k < count; k++) {
    const i = eligible[k];
    if (hasLoad && load[i] > ceiling) continue;
    const m = view.prefixMatch!(i, request);
    if (m > bestMatch || (m === bestMatch && best >= 0 && hasLoad && load[i] < load[best])) {
      best = i;
      bestMatch = m;
    }
  }
  if (best < 0 || bestMatch <= 0) return -1;
  s.score = bestMatch;
  return best;
}

export const prefixAware = defineStrategy({
  NAME,
  options: strictOptions({
    max_imbalance: numberOption(
      'Load (in units of max_concurrency) above the least loaded model beyond which a prefix match is ignored',
      DEFAULT_MAX_IMBALANCE,
      0,
      Number.MAX_VALUE,
    ),
  }),
  build: (o, ctx) => new PrefixPicker(o.max_imbalance, ctx.cache),
});
