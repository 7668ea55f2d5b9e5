/**
 * latency_based: the eligible model with the lowest EWMA of observed latency (the router feeds the EWMA
 * from done()). Models with no observation yet are explored first, in turn. total_score =
 * 1 / (1 + ewma_ms / 1000): 1 at 0 ms, 0.5 at one second; 1 for an unexplored model.
 */

import type { PickContext, Picker } from '../../router/strategy.js';
import { Cursor } from '../common.js';
import { defineStrategy, strictOptions } from '../options.js';

const NAME = 'latency_based';
const REASON = 'latency_based: lowest observed latency';
const EXPLORE = 'latency_based: no latency observed yet, exploring';

class LatencyPicker implements Picker {
  readonly uses = { load: false, cache: false, quota: false };
  private readonly cursor = new Cursor();
  private explore = 0;

  pick(s: PickContext): number {
    const { eligible, latency, count } = s;
    if (count === 0) return -1;
    let unknown = 0;
    let best = -1;
    let bestLat = Number.POSITIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      const l = latency[eligible[k]];
      if (Number.isNaN(l)) unknown++;
      else if (l < bestLat) {
        bestLat = l;
        best = eligible[k];
      }
    }
    if (unknown > 0) {
      // the (explore mod unknown)-th unexplored model, so that parallel requests spread over them
      let want = this.explore % unknown;
      this.explore = (this.explore + 1) >>> 0;
      for (let k = 0; k < count; k++) {
        const i = eligible[k];
        if (Number.isNaN(latency[i]) && want-- === 0) {
          s.score = 1;
          s.reason = EXPLORE;
          return i;
        }
      }
    }
    if (best < 0) return this.cursor.pick(s);
    s.score = 1 / (1 + bestLat / 1000);
    s.reason = REASON;
    return best;
  }
}

export const latencyBased = defineStrategy({
  NAME,
  options: strictOptions({}),
  build: () => new LatencyPicker(),
});
