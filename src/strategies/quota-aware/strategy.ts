/**
 * quota_aware: avoids models near their quota limit, with a load term so that the favourite spills over:
 * score = w * (1 - usage) + (1 - w) * (1 - min(load, 1)),  w = options.quota_weight (default 0.7).
 * Without a QuotaView it degrades to least_loaded (round-robin without a LoadView). Random tie-break.
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import { Best, bestNetOfLoad, LeastLoadedFallback } from '../common.js';
import { defineStrategy, numberOption, strictOptions } from '../options.js';

const NAME = 'quota_aware';
const DEFAULT_QUOTA_WEIGHT = 0.7;
const REASON = 'quota_aware: most quota headroom net of load';
const NO_QUOTA_LOAD = 'quota_aware: no quota view, least-loaded instead';
const NO_QUOTA_NO_LOAD = 'quota_aware: no quota or load view, round-robin instead';

class QuotaAwarePicker implements Picker {
  readonly uses = { load: true, cache: false, quota: true };
  private readonly fallback = new LeastLoadedFallback();
  private readonly best = new Best();
  constructor(private readonly w: number) {}

  pick(s: PickContext): number {
    if (!s.hasQuota) return this.fallback.pick(s, NO_QUOTA_LOAD, NO_QUOTA_NO_LOAD);
    const best = bestNetOfLoad(s, this.best, s.quota, true, this.w, Number.NEGATIVE_INFINITY);
    s.reason = REASON;
    return best;
  }
}

export const quotaAware = defineStrategy({
  NAME,
  options: strictOptions({
    quota_weight: numberOption(
      'Weight of the quota headroom against the load score',
      DEFAULT_QUOTA_WEIGHT,
      0,
      1,
    ),
  }),
  build: (o) => new QuotaAwarePicker(o.quota_weight),
});
