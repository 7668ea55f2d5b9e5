import { describe, expect, it } from 'vitest';
import { build, makeContext } from '../testkit.js';

describe('cache_aware', () => {
  it('prefers the higher hit rate at equal load: score = 0.7 * cache + 0.3 * (1 - load)', () => {
    const p = build('cache_aware');
    const s = makeContext(3, { cache: [0.85, 0.62, 0.91], load: [0, 0, 0] });
    expect(p.pick(s)).toBe(2);
    expect(s.score).toBeCloseTo(0.7 * 0.91 + 0.3, 12);
  });
  it('spills over when the favourite is loaded: 0.7*0.06 < 0.3*(0.5-0.3)', () => {
    const p = build('cache_aware');
    expect(p.pick(makeContext(3, { cache: [0.85, 0.62, 0.91], load: [0.3, 0, 0.5] }))).toBe(0);
    // just below the break-even load difference of 0.14 the favourite keeps it
    expect(p.pick(makeContext(3, { cache: [0.85, 0.62, 0.91], load: [0.3, 0.9, 0.43] }))).toBe(2);
  });
  it('skips models below min_cache_hit_rate unless none reaches it', () => {
    const p = build('cache_aware', { cache_weight: 0 });
    const s = makeContext(3, { cache: [0.1, 0.4, 0.2], load: [0, 0.5, 0] });
    expect(p.pick(s)).toBe(1); // only model 1 reaches 0.3, despite load
    const t = makeContext(2, { cache: [0.1, 0.2], load: [0.5, 0] });
    expect(p.pick(t)).toBe(1);
    expect(t.reason).toContain('min_cache_hit_rate');
  });
  it('validates cache_weight with its name and range', () => {
    expect(() => build('cache_aware', { cache_weight: 1.5 })).toThrow(
      /^cache_aware: strategy_options\.cache_weight must be a number in 0\.\.1/,
    );
  });
  it('without a cache view: least-loaded, and the reason says so', () => {
    const s = makeContext(3, { load: [0.5, 0.1, 0.3] });
    expect(build('cache_aware').pick(s)).toBe(1);
    expect(s.reason).toBe('cache_aware: no cache view, least-loaded instead');
  });
});
