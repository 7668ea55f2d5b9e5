import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_CONFIG } from '../../router/config.js';
import { modelInfo } from '../../router/memory-views.js';
import { build, makeSnapshot, tally } from '../testing.js';
import { weightedRandom } from './strategy.js';

describe('weighted_random', () => {
  it('matches weights 1:2:3:4 (chi-square, 3 dof, alpha 0.001 critical value 16.27)', () => {
    const n = 10_000;
    const t = tally(build('weighted_random'), makeSnapshot(4, { weight: [1, 2, 3, 4] }), n);
    const chi2 = t.reduce((acc, o, i) => acc + (o - (n * (i + 1)) / 10) ** 2 / ((n * (i + 1)) / 10), 0);
    expect(chi2).toBeLessThan(16.27);
  });
  it('renormalises over the eligible subset and scores the share', () => {
    const p = build('weighted_random');
    const s = makeSnapshot(4, { weight: [1, 2, 3, 4], eligible: [1] });
    expect(p.pick(s)).toBe(1);
    expect(s.score).toBe(1);
  });
  it('rejects a model with weight <= 0, naming the model and strategy', () => {
    const ctx = { models: [modelInfo('a'), modelInfo('b', { weight: 0 })], config: DEFAULT_ROUTING_CONFIG };
    expect(() => weightedRandom.build({}, ctx)).toThrow(/^weighted_random: model b has weight 0/);
  });
});
