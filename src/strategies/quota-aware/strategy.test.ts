import { describe, expect, it } from 'vitest';
import { build, makeContext } from '../testkit.js';

describe('quota_aware', () => {
  it('prefers quota headroom: score = 0.7 * (1 - usage) + 0.3 * (1 - load)', () => {
    const s = makeContext(3, { quota: [0.95, 0.45, 0.78], load: [0, 0, 0] });
    expect(build('quota_aware').pick(s)).toBe(1);
    expect(s.score).toBeCloseTo(0.7 * 0.55 + 0.3, 12);
  });
  it('spills over to C when B is much busier (0.7*0.33 < 0.3*0.8)', () => {
    expect(build('quota_aware').pick(makeContext(3, { quota: [0.95, 0.45, 0.78], load: [0, 0.8, 0] }))).toBe(
      2,
    );
  });
  it('a near-limit model loses even when idle against a fully loaded one (0.7*0.5 > 0.3)', () => {
    expect(build('quota_aware').pick(makeContext(2, { quota: [0.95, 0.45], load: [0, 1] }))).toBe(1);
  });
  it('validates quota_weight', () => {
    expect(() => build('quota_aware', { quota_weight: -1 })).toThrow(
      /^quota_aware: strategy_options\.quota_weight/,
    );
  });
});
