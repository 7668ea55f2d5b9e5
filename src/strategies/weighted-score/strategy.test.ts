import { describe, expect, it } from 'vitest';
import { build, makeContext } from '../testkit.js';

describe('weighted_score', () => {
  it('computes the weighted composite and picks its maximum', () => {
    const p = build('weighted_score', { weights: { load: 1, cache: 1 } });
    const s = makeContext(2, { load: [0.2, 0.6], cache: [0.3, 0.9], quota: [0, 0] });
    // m0: (0.8 + 0.3) / 2 = 0.55; m1: (0.4 + 0.9) / 2 = 0.65
    expect(p.pick(s)).toBe(1);
    expect(s.score).toBeCloseTo(0.65, 12);
  });
  it('drops absent views from the weights', () => {
    const p = build('weighted_score', { weights: { load: 1, cache: 1 } });
    const s = makeContext(2, { load: [0.2, 0.6] });
    expect(p.pick(s)).toBe(0);
    expect(s.score).toBeCloseTo(0.8, 12);
  });
  it('cost and latency terms: cheaper and faster wins', () => {
    const p = build('weighted_score', { weights: { latency: 1, cost: 1 }, latency_scale_ms: 100 });
    const s = makeContext(2, { latency: [100, 300], cost: [1, 2] });
    expect(p.pick(s)).toBe(0);
    expect(s.score).toBeCloseTo((0.5 + 0.5) / 2, 12);
  });
  it.each([
    [
      { weights: { load: -1 } },
      /^weighted_score: strategy_options\.weights\.load must be a finite number >= 0/,
    ],
    [
      { weights: { speed: 1 } },
      /^weighted_score: unknown weight strategy_options\.weights\.speed \(allowed: load, cache/,
    ],
    [
      { weights: { load: 0 } },
      /^weighted_score: strategy_options\.weights must have at least one weight > 0/,
    ],
    [{ weights: 3 }, /^weighted_score: strategy_options\.weights must be a map/],
  ])('validates %j', (options, message) => {
    expect(() => build('weighted_score', options)).toThrow(message);
  });
});
