import { describe, expect, it } from 'vitest';
import { parseWallClock, WallClockBase } from './timestamp.js';

describe('wall-clock timestamps', () => {
  it('parses 7 fractional digits that Date cannot', () => {
    expect(parseWallClock('2023-11-16 18:17:03.9799600')).toBeCloseTo(
      Date.UTC(2023, 10, 16, 18, 17, 3) + 979.96,
      3,
    );
    expect(parseWallClock('2023-11-16T18:17:03Z')).toBe(Date.UTC(2023, 10, 16, 18, 17, 3));
  });

  it('rejects other layouts and impossible fields', () => {
    for (const bad of ['16/11/2023 18:17:05', '2023-13-01 00:00:00', '2023-11-16 25:00:00', '', 'x']) {
      expect(parseWallClock(bad)).toBeNaN();
    }
  });

  it('keeps the 7th digit relative to the first time seen', () => {
    const b = new WallClockBase();
    expect(b.ms('2023-11-16 18:59:59.9799600')).toBeCloseTo(979.96, 9);
    expect(b.ms('2023-11-16 18:59:59.9799601')).toBeCloseTo(979.9601, 9);
    expect(b.ms('2023-11-16 19:00:01.5000000')).toBeCloseTo(1500 + 1000, 9);
  });
});

describe('wall-clock edge cases', () => {
  it('rejects impossible days and malformed fractions, accepts T and Z', () => {
    expect(parseWallClock('2023-02-30 00:00:00')).toBeNaN();
    expect(parseWallClock('2023-11-16 18:17:03.')).toBeNaN();
    expect(parseWallClock('2023-11-16 18:17:03.12a')).toBeNaN();
    expect(parseWallClock('2024-02-29T00:00:00.5Z')).toBe(Date.UTC(2024, 1, 29) + 500);
  });
});
