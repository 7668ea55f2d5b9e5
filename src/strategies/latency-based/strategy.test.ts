import { describe, expect, it } from 'vitest';
import { build, makeContext } from '../testkit.js';

describe('latency_based', () => {
  it('explores unobserved models first, in turn, then takes the lowest EWMA', () => {
    const p = build('latency_based');
    const s = makeContext(4, { latency: [200, Number.NaN, 50, Number.NaN] });
    expect([p.pick(s), p.pick(s), p.pick(s)]).toEqual([1, 3, 1]);
    s.latency[1] = 300;
    s.latency[3] = 80;
    expect(p.pick(s)).toBe(2);
    expect(s.score).toBeCloseTo(1 / 1.05, 12);
  });
});
