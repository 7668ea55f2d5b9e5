/**
 * power_of_two: two distinct eligible models drawn at random, the less loaded one wins (the first drawn on
 * a tie). Without a LoadView it is a plain random pick and says so. total_score = 1 - min(load, 1).
 */

import { loadScore, type PickContext, type Picker } from '../../router/strategy.js';
import { loadScoreAt } from '../common.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'power_of_two';
const REASON = 'power_of_two: less loaded of two random choices';
const NO_LOAD = 'power_of_two: no load view, random choice';

class PowerOfTwoPicker implements Picker {
  readonly uses = { load: true, cache: false, quota: false };
  pick(s: PickContext): number {
    const { count, eligible, rng } = s;
    if (count === 0) return -1;
    let a = Math.floor(rng.next() * count);
    if (a >= count) a = count - 1;
    if (count === 1 || !s.hasLoad) {
      s.score = loadScoreAt(s, eligible[a]);
      s.reason = s.hasLoad ? REASON : NO_LOAD;
      return eligible[a];
    }
    let b = Math.floor(rng.next() * (count - 1));
    if (b >= count - 1) b = count - 2;
    if (b >= a) b++;
    const ia = eligible[a];
    const ib = eligible[b];
    const i = s.load[ib] < s.load[ia] ? ib : ia;
    s.score = loadScore(s.load[i]);
    s.reason = REASON;
    return i;
  }
}

export const powerOfTwo = defineStrategy({
  NAME,
  options: strictOptions({}),
  build: () => new PowerOfTwoPicker(),
});
