/**
 * cost_based: the cheapest eligible model by cost_per_1k_tokens; among equally cheap ones the least loaded,
 * then the lowest index. total_score = 1 / (1 + cost_per_1k_tokens).
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'cost_based';
const REASON = 'cost_based: cheapest eligible model';

class CostPicker implements Picker {
  readonly uses = { load: true, cache: false, quota: false };
  pick(s: PickContext): number {
    const { eligible, cost, load, count } = s;
    s.reason = REASON;
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      const i = eligible[k];
      const c = cost[i];
      const l = s.hasLoad ? load[i] : 0;
      if (c < bestCost || (c === bestCost && l < bestLoad)) {
        best = i;
        bestCost = c;
        bestLoad = l;
      }
    }
    s.score = best < 0 ? 0 : 1 / (1 + bestCost);
    return best;
  }
}

export const costBased = defineStrategy({
  NAME,
  options: strictOptions({}),
  build: () => new CostPicker(),
});
