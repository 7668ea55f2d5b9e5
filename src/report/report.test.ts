import { describe, expect, it } from 'vitest';
import { balance, round } from './report.js';

describe('balance', () => {
  it("is Jain's index and the CV of per-model counts", () => {
    expect(balance([10, 10, 10, 10])).toEqual({ jain_index: 1, cv: 0 });
    // One model takes everything: Jain = 1/n, CV = sqrt(n - 1).
    const b = balance([40, 0, 0, 0]);
    expect(b.jain_index).toBeCloseTo(0.25, 12);
    expect(b.cv).toBeCloseTo(Math.sqrt(3), 12);
    // (1+2+3)^2 / (3 * 14) = 36/42
    expect(balance([1, 2, 3]).jain_index).toBeCloseTo(36 / 42, 12);
    expect(balance([])).toEqual({ jain_index: 1, cv: 0 });
    expect(balance([0, 0])).toEqual({ jain_index: 1, cv: 0 });
  });
});

describe('round', () => {
  it('keeps integers and rounds the rest to 6 decimals', () => {
    expect(round(3)).toBe(3);
    expect(round(1 / 3)).toBe(0.333333);
    expect(round(-1e-9)).toBe(0);
    expect(round(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});
