import { describe, expect, it } from 'vitest';
import { build, makeContext, tally } from '../testkit.js';

describe('round_robin', () => {
  it('is exactly even over a fixed eligible set', () => {
    expect(tally(build('round_robin'), makeContext(4), 400)).toEqual([100, 100, 100, 100]);
  });
  it('cycles in index order over the eligible subset', () => {
    const p = build('round_robin');
    const s = makeContext(5, { eligible: [1, 3, 4] });
    expect([0, 1, 2, 3, 4, 5].map(() => p.pick(s))).toEqual([1, 3, 4, 1, 3, 4]);
  });
});
