import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_CONFIG } from '../../router/config.js';
import { modelInfo } from '../../router/memory-views.js';
import { build, makeContext, tally } from '../testkit.js';
import { weightedRandom } from './strategy.js';

describe('weighted_random', () => {
  it('matches weights 1:2:3:4 (chi-square, 3 dof, alpha 0.001 critical value 16.27)', () => {
    const n = 10_000;
    const t = tally(build('weighted_random'), makeContext(4, { weight: [1, 2, 3, 4] }), n);
    const chi2 = t.reduce((acc, o, i) => acc + (o - (n * (i + 1)) / 10) ** 2 / ((n * (i + 1)) / 10), 0);
    expect(chi2).toBeLessThan(16.27);
  });
  it('renormalises over the eligible subset and scores the share', () => {
    const p = build('weighted_random');
    const s = makeContext(4, { weight: [1, 2, 3, 4], eligible: [1] });
    expect(p.pick(s)).toBe(1);
    expect(s.score).toBe(1);
  });
  it('rejects a model with weight <= 0, naming the model and strategy', () => {
    const models = [modelInfo('a'), modelInfo('b', { weight: 0 })];
    expect(() => weightedRandom.checkModels(models)).toThrow(/^weighted_random: model b has weight 0/);
    const ctx = { models, config: DEFAULT_ROUTING_CONFIG, cache: null };
    expect(() => weightedRandom.build(weightedRandom.parse({}), ctx)).toThrow(
      /^weighted_random: model b has weight 0/,
    );
  });
});
