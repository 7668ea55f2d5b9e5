/**
 * weighted_score: a composite of five per-model scores (each 0..1, 1 best) with configured weights:
 *   load    1 - min(load, 1)
 *   cache   cache hit rate
 *   quota   1 - quota usage
 *   latency 1 / (1 + ewma_ms / latency_scale_ms)   (1 while unobserved, so new models get explored)
 *   cost    1 - cost / (most expensive eligible cost)   (1 when all are free)
 * total = sum(w_i * s_i) / sum(w_i) over the components whose view is present (absent views drop out).
 * options: { weights?: { load, cache, quota, latency, cost } (each >= 0, default 0.4/0.2/0.2/0.1/0.1,
 * missing keys are 0 when weights is given), latency_scale_ms?: > 0 (default 1000) }.
 */
import { RoutingConfigError } from '../../router/errors.js';
import type { Picker, Snapshot, StrategyBuilder } from '../../router/strategy.js';
import { Cursor, loadScore } from '../common.js';
import { checkKeys, numberOption } from '../options.js';

export const NAME = 'weighted_score';
export const WEIGHT_KEYS = ['load', 'cache', 'quota', 'latency', 'cost'] as const;
export const DEFAULT_WEIGHTS = Object.freeze({ load: 0.4, cache: 0.2, quota: 0.2, latency: 0.1, cost: 0.1 });
const REASON = 'weighted_score: best weighted composite of load, cache, quota, latency, cost';
const NO_INPUTS = 'weighted_score: no weighted input available, round-robin';

type Weights = Record<(typeof WEIGHT_KEYS)[number], number>;

class WeightedScorePicker implements Picker {
  readonly uses = { load: true, cache: true, quota: true };
  private readonly cursor = new Cursor();
  constructor(
    private readonly w: Weights,
    private readonly latencyScale: number,
  ) {}

  pick(s: Snapshot): number {
    const { eligible, count, load, cache, quota, latency, cost, rng } = s;
    if (count === 0) return -1;
    const wl = s.hasLoad ? this.w.load : 0;
    const wc = s.hasCache ? this.w.cache : 0;
    const wq = s.hasQuota ? this.w.quota : 0;
    const wt = this.w.latency;
    const wk = this.w.cost;
    const sum = wl + wc + wq + wt + wk;
    if (!(sum > 0)) {
      s.score = 1;
      s.reason = NO_INPUTS;
      return this.cursor.pick(s);
    }
    let maxCost = 0;
    if (wk > 0) for (let k = 0; k < count; k++) if (cost[eligible[k]] > maxCost) maxCost = cost[eligible[k]];
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    let ties = 0;
    for (let k = 0; k < count; k++) {
      const i = eligible[k];
      let sc = 0;
      if (wl > 0) sc += wl * loadScore(load[i]);
      if (wc > 0) sc += wc * cache[i];
      if (wq > 0) sc += wq * (1 - quota[i]);
      if (wt > 0) {
        const l = latency[i];
        sc += wt * (Number.isNaN(l) ? 1 : 1 / (1 + l / this.latencyScale));
      }
      if (wk > 0) sc += wk * (maxCost > 0 ? 1 - cost[i] / maxCost : 1);
      if (sc > bestScore) {
        best = i;
        bestScore = sc;
        ties = 1;
      } else if (sc === bestScore) {
        ties++;
        if (rng.next() * ties < 1) best = i;
      }
    }
    s.score = bestScore / sum;
    s.reason = REASON;
    return best;
  }
}

function readWeights(options: Record<string, unknown>): Weights {
  const raw = options.weights;
  if (raw === undefined) return { ...DEFAULT_WEIGHTS };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RoutingConfigError(
      'strategy_options.weights',
      `${NAME}: strategy_options.weights must be a map of ${WEIGHT_KEYS.join(', ')} to numbers >= 0`,
    );
  }
  const w: Weights = { load: 0, cache: 0, quota: 0, latency: 0, cost: 0 };
  let sum = 0;
  for (const [key, v] of Object.entries(raw)) {
    if (!(WEIGHT_KEYS as readonly string[]).includes(key)) {
      throw new RoutingConfigError(
        `strategy_options.weights.${key}`,
        `${NAME}: unknown weight strategy_options.weights.${key} (allowed: ${WEIGHT_KEYS.join(', ')})`,
      );
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RoutingConfigError(
        `strategy_options.weights.${key}`,
        `${NAME}: strategy_options.weights.${key} must be a finite number >= 0, got ${JSON.stringify(v)}`,
      );
    }
    w[key as keyof Weights] = v;
    sum += v;
  }
  if (!(sum > 0)) {
    throw new RoutingConfigError(
      'strategy_options.weights',
      `${NAME}: strategy_options.weights must have at least one weight > 0`,
    );
  }
  return w;
}

export const weightedScore: StrategyBuilder = {
  NAME,
  build(options) {
    checkKeys(NAME, options, ['weights', 'latency_scale_ms']);
    const scale = numberOption(NAME, options, 'latency_scale_ms', 1000, Number.MIN_VALUE, Number.MAX_VALUE);
    return new WeightedScorePicker(readWeights(options), scale);
  },
};
