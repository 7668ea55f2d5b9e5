/**
 * round_robin: each pick takes the next eligible model in turn. With a fixed eligible set, n * k picks give
 * every model exactly k. No options. total_score is the chosen model's load score (1 without a LoadView).
 */

import type { Picker, Snapshot, StrategyBuilder } from '../../router/strategy.js';
import { Cursor, loadScore } from '../common.js';
import { checkKeys } from '../options.js';

export const NAME = 'round_robin';
const REASON = 'round_robin: next model in turn';

class RoundRobinPicker implements Picker {
  readonly uses = { load: false, cache: false, quota: false };
  private readonly cursor = new Cursor();
  pick(s: Snapshot): number {
    const i = this.cursor.pick(s);
    s.score = i < 0 || !s.hasLoad ? 1 : loadScore(s.load[i]);
    s.reason = REASON;
    return i;
  }
}

export const roundRobin: StrategyBuilder = {
  NAME,
  build(options) {
    checkKeys(NAME, options, []);
    return new RoundRobinPicker();
  },
};
