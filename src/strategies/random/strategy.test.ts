import { describe, expect, it } from 'vitest';
import { build, makeContext, tally } from '../testkit.js';

describe('random', () => {
  it('is uniform over the eligible models (each within 4 sigma of n/k)', () => {
    const t = tally(build('random'), makeContext(5, { eligible: [0, 2, 4] }), 3000);
    expect(t[1] + t[3]).toBe(0);
    const sigma = Math.sqrt(3000 * (1 / 3) * (2 / 3));
    for (const i of [0, 2, 4]) expect(Math.abs(t[i] - 1000)).toBeLessThan(4 * sigma);
  });
});
