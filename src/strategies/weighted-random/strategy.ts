/**
 * weighted_random: an eligible model drawn with probability weight / (sum of eligible weights), using
 * ModelInfo.weight (> 0). total_score is the chosen model's share of that sum.
 */
import { RoutingConfigError } from '../../router/errors.js';
import type { PickContext, Picker } from '../../router/strategy.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'weighted_random';
const REASON = 'weighted_random: drawn by model weight';

class WeightedRandomPicker implements Picker {
  readonly uses = { load: false, cache: false, quota: false };
  pick(s: PickContext): number {
    s.reason = REASON;
    const { eligible, weight, count } = s;
    if (count === 0) return -1;
    let sum = 0;
    for (let k = 0; k < count; k++) sum += weight[eligible[k]];
    let x = s.rng.next() * sum;
    let i = eligible[count - 1];
    for (let k = 0; k < count; k++) {
      const w = weight[eligible[k]];
      if (x < w) {
        i = eligible[k];
        break;
      }
      x -= w;
    }
    s.score = sum > 0 ? weight[i] / sum : 0;
    return i;
  }
}

export const weightedRandom = defineStrategy({
  NAME,
  options: strictOptions({}),
  checkModels(models) {
    for (const m of models) {
      if (!(m.weight > 0) || !Number.isFinite(m.weight)) {
        throw new RoutingConfigError(
          `models.${m.id}.weight`,
          `${NAME}: model ${m.id} has weight ${m.weight}; weights must be finite numbers > 0`,
        );
      }
    }
  },
  build: () => new WeightedRandomPicker(),
});
