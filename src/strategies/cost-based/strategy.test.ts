import { describe, expect, it } from 'vitest';
import { build, makeContext } from '../testkit.js';

describe('cost_based', () => {
  it('takes the cheapest eligible model, breaking cost ties by load', () => {
    const p = build('cost_based');
    expect(
      p.pick(makeContext(4, { cost: [0.6, 0.2, 0.2, 0.1], eligible: [0, 1, 2], load: [0, 0.5, 0.3, 0] })),
    ).toBe(2);
    const s = makeContext(4, { cost: [0.6, 0.2, 0.2, 0.1], load: [0, 0.5, 0.3, 0] });
    expect(p.pick(s)).toBe(3);
    expect(s.score).toBeCloseTo(1 / 1.1, 12);
  });
});
