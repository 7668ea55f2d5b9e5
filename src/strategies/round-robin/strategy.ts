/**
 * round_robin: each pick takes the next eligible model in turn. With a fixed eligible set, n * k picks give
 * every model exactly k. No options. total_score is the chosen model's load score (1 without a LoadView).
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import { Cursor, loadScoreAt } from '../common.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'round_robin';
const REASON = 'round_robin: next model in turn';

class RoundRobinPicker implements Picker {
  readonly uses = { load: false, cache: false, quota: false };
  private readonly cursor = new Cursor();
  pick(s: PickContext): number {
    const i = this.cursor.pick(s);
    s.score = i < 0 ? 1 : loadScoreAt(s, i);
    s.reason = REASON;
    return i;
  }
}

export const roundRobin = defineStrategy({
  NAME,
  options: strictOptions({}),
  build: () => new RoundRobinPicker(),
});
