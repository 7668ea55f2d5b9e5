import { describe, expect, it } from 'vitest';
import { IntCounts } from './counts.js';

describe('IntCounts', () => {
  it('gives numpy-style interpolated percentiles', () => {
    const c = new IntCounts();
    for (const v of [1, 2, 3, 4, 10]) c.add(v);
    expect(c.quantile(0.5)).toBe(3);
    expect(c.quantile(0.9)).toBeCloseTo(7.6, 12); // between 4 and 10 at 0.6
    expect(c.quantile(0.99)).toBeCloseTo(9.76, 12);
    expect(c.mean()).toBe(4);
    expect(c.max).toBe(10);
  });

  it('grows past its first table and handles repeats', () => {
    const c = new IntCounts();
    for (let i = 0; i < 3; i++) c.add(5000);
    c.add(0);
    expect(c.quantile(0)).toBe(0);
    expect(c.quantile(0.5)).toBe(5000);
    expect(new IntCounts().quantile(0.5)).toBeNaN();
  });
});
