import { describe, expect, it } from 'vitest';
import { build, makeContext, tally } from '../testkit.js';

describe('least_loaded', () => {
  it('picks the lowest load and scores it 1 - load', () => {
    const p = build('least_loaded');
    const s = makeContext(4, { load: [0.8, 0.3, 0.5, 1.4] });
    expect(p.pick(s)).toBe(1);
    expect(s.score).toBeCloseTo(0.7, 12);
  });
  it('breaks ties at random between the tied models only', () => {
    const t = tally(build('least_loaded'), makeContext(4, { load: [0.2, 0.5, 0.2, 0.2] }), 3000);
    expect(t[1]).toBe(0);
    for (const i of [0, 2, 3])
      expect(Math.abs(t[i] - 1000)).toBeLessThan(4 * Math.sqrt(3000 * (1 / 3) * (2 / 3)));
  });
  it('degrades to round-robin without a load view and says so', () => {
    const p = build('least_loaded');
    const s = makeContext(3);
    expect(tally(p, s, 30)).toEqual([10, 10, 10]);
    expect(s.reason).toContain('no load view');
  });
});
