/**
 * quota_aware: avoids models near their quota limit, with a load term so that the favourite spills over:
 * score = w * (1 - usage) + (1 - w) * (1 - min(load, 1)),  w = options.quota_weight (default 0.7).
 * Without a QuotaView it degrades to least_loaded (round-robin without a LoadView). Random tie-break.
 */

import type { Picker, Snapshot, StrategyBuilder } from '../../router/strategy.js';
import { bestNetOfLoad, Cursor, leastLoadedOrRoundRobin } from '../common.js';
import { checkKeys, numberOption } from '../options.js';

export const NAME = 'quota_aware';
export const DEFAULT_QUOTA_WEIGHT = 0.7;
const REASON = 'quota_aware: most quota headroom net of load';
const NO_QUOTA_LOAD = 'quota_aware: no quota view, least-loaded instead';
const NO_QUOTA_NO_LOAD = 'quota_aware: no quota or load view, round-robin instead';

class QuotaAwarePicker implements Picker {
  readonly uses = { load: true, cache: false, quota: true };
  private readonly cursor = new Cursor();
  constructor(private readonly w: number) {}

  pick(s: Snapshot): number {
    if (!s.hasQuota) return leastLoadedOrRoundRobin(s, this.cursor, NO_QUOTA_LOAD, NO_QUOTA_NO_LOAD);
    const best = bestNetOfLoad(s, s.quota, true, this.w, Number.NEGATIVE_INFINITY);
    s.reason = REASON;
    return best;
  }
}

export const quotaAware: StrategyBuilder = {
  NAME,
  build(options) {
    checkKeys(NAME, options, ['quota_weight']);
    return new QuotaAwarePicker(numberOption(NAME, options, 'quota_weight', DEFAULT_QUOTA_WEIGHT, 0, 1));
  },
};
