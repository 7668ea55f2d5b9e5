import { describe, expect, it } from 'vitest';
import { build, makeContext, tally } from '../testkit.js';

describe('power_of_two', () => {
  it('never picks the most loaded of four (it always loses its pair)', () => {
    const t = tally(build('power_of_two'), makeContext(4, { load: [0.1, 0.2, 0.3, 0.9] }), 2000);
    expect(t[3]).toBe(0);
    // the least loaded wins whenever drawn: P = 1/2 (in 1 of 2 draws of a distinct pair)
    expect(Math.abs(t[0] - 1000)).toBeLessThan(4 * Math.sqrt(2000 * 0.25));
  });
});
