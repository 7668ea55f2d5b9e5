/**
 * random: a uniformly random eligible model (one rng draw). total_score is the chosen model's load score.
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import { loadScoreAt } from '../common.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'random';
const REASON = 'random: uniform over eligible models';

class RandomPicker implements Picker {
  readonly uses = { load: false, cache: false, quota: false };
  pick(s: PickContext): number {
    s.reason = REASON;
    if (s.count === 0) return -1;
    const k = Math.floor(s.rng.next() * s.count);
    const i = s.eligible[k < s.count ? k : s.count - 1];
    s.score = loadScoreAt(s, i);
    return i;
  }
}

export const random = defineStrategy({
  NAME,
  options: strictOptions({}),
  build: () => new RandomPicker(),
});
