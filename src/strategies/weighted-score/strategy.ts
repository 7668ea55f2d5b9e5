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
import { loadScore, type PickContext, type Picker } from '../../router/strategy.js';
import { Best, Cursor } from '../common.js';
import { defineStrategy, nonNegative, numberOption, strictOptions } from '../options.js';

const NAME = 'weighted_score';
const WEIGHT_KEYS = ['load', 'cache', 'quota', 'latency', 'cost'] as const;
const DEFAULT_WEIGHTS = Object.freeze({ load: 0.4, cache: 0.2, quota: 0.2, latency: 0.1, cost: 0.1 });
const REASON = 'weighted_score: best weighted composite of load, cache, quota, latency, cost';
const NO_INPUTS = 'weighted_score: no weighted input available, round-robin';

type Weights = Record<(typeof WEIGHT_KEYS)[number], number>;

class WeightedScorePicker implements Picker {
  readonly uses = { load: true, cache: true, quota: true };
  private readonly cursor = new Cursor();
  private readonly best = new Best();
  constructor(
    private readonly w: Weights,
    private readonly latencyScale: number,
  ) {}

  pick(s: PickContext): number {
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
    const best = this.best;
    best.reset();
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
      best.offer(i, sc, rng);
    }
    s.score = best.score / sum;
    s.reason = REASON;
    return best.index;
  }
}

const WEIGHT_LIST = WEIGHT_KEYS.join(', ');

const optionsSchema = strictOptions({
  weights: strictOptions(
    {
      load: nonNegative('Weight of 1 - min(load, 1).'),
      cache: nonNegative('Weight of the cache hit rate.'),
      quota: nonNegative('Weight of 1 - quota usage.'),
      latency: nonNegative('Weight of 1 / (1 + ewma_ms / latency_scale_ms).'),
      cost: nonNegative('Weight of 1 - cost / (most expensive eligible cost).'),
    },
    'weight',
    `{field} must be a map of ${WEIGHT_LIST} to numbers >= 0`,
  )
    .refine((w) => WEIGHT_KEYS.some((k) => (w[k] ?? 0) > 0), {
      error: '{field} must have at least one weight > 0',
    })
    .optional()
    .describe(
      `Weights of the five scores (missing keys are 0). Default ${WEIGHT_KEYS.map((k) => `${k} ${DEFAULT_WEIGHTS[k]}`).join(', ')}.`,
    ),
  latency_scale_ms: numberOption('Latency (ms) that scores 0.5', 1000, Number.MIN_VALUE, Number.MAX_VALUE),
});

export const weightedScore = defineStrategy({
  NAME,
  options: optionsSchema,
  build(o) {
    const given = o.weights;
    const w: Weights = { ...DEFAULT_WEIGHTS };
    if (given) for (const k of WEIGHT_KEYS) w[k] = given[k] ?? 0;
    return new WeightedScorePicker(w, o.latency_scale_ms);
  },
});
