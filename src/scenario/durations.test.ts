import { expect, describe as group, it } from 'vitest';
import { describe, parseDuration, parseRate } from './durations.js';

const ms = (v: unknown) => {
  const r = parseDuration(v);
  return r.ok ? r.value : r.message;
};
const rate = (v: unknown) => {
  const r = parseRate(v);
  return r.ok ? r.value : r.message;
};

group('parseDuration', () => {
  it('reads each unit into milliseconds', () => {
    expect(ms('250ms')).toBe(250);
    expect(ms('30s')).toBe(30_000);
    expect(ms('5m')).toBe(300_000);
    expect(ms('5min')).toBe(300_000);
    expect(ms('1h')).toBe(3_600_000);
    expect(ms('2d')).toBe(172_800_000);
    expect(ms('1.5s')).toBe(1500);
    expect(ms('.5s')).toBe(500);
    expect(ms('0.2ms')).toBeCloseTo(0.2, 12);
  });
  it('reads compound durations and spaces', () => {
    expect(ms('1h30m')).toBe(5_400_000);
    expect(ms('1m 30s')).toBe(90_000);
    expect(ms(' 10 s ')).toBe(10_000);
  });
  it('reads numbers, and unit-less strings, as seconds', () => {
    expect(ms(2)).toBe(2000);
    expect(ms(0.25)).toBe(250);
    expect(ms('3')).toBe(3000);
    expect(ms(0)).toBe(0);
  });
  it('rejects negatives, bad units and other types with a hint', () => {
    expect(ms('-5s')).toBe('a duration cannot be negative, got "-5s"');
    expect(ms(-1)).toBe('a duration cannot be negative, got -1');
    expect(ms('5 parsecs')).toBe(
      'expected a duration like 250ms, 30s, 5m, 1h (a bare number is seconds), got "5 parsecs"',
    );
    expect(ms('5x')).toMatch(/expected a duration like 250ms, 30s, 5m/);
    expect(ms('s')).toMatch(/expected a duration/);
    expect(ms('')).toMatch(/empty string/);
    expect(ms(true)).toMatch(/got boolean true$/);
    expect(ms(Number.POSITIVE_INFINITY)).toMatch(/got Infinity$/);
  });
});

group('parseRate', () => {
  it('reads per second, minute and hour', () => {
    expect(rate('12/s')).toBe(12);
    expect(rate('600/m')).toBe(10);
    expect(rate('600/min')).toBe(10);
    expect(rate('3600/h')).toBe(1);
    expect(rate('1.5 / s')).toBe(1.5);
    expect(rate(20)).toBe(20);
    expect(rate('20')).toBe(20);
  });
  it('rejects negatives and bad units', () => {
    expect(rate(-2)).toBe('a rate cannot be negative, got -2');
    expect(rate('-2/s')).toBe('a rate cannot be negative, got "-2/s"');
    expect(rate('12/fortnight')).toBe(
      'expected a rate like 12/s, 600/m, 3600/h (a bare number is per second), got "12/fortnight"',
    );
    expect(rate('12 rps')).toMatch(/expected a rate/);
    expect(rate([1])).toMatch(/got a list$/);
  });
});

group('describe', () => {
  it('names values for messages', () => {
    expect(describe('abc')).toBe('string "abc"');
    expect(describe({})).toBe('a mapping');
    expect(describe(null)).toBe('nothing');
    expect(describe(3)).toBe('number 3');
  });
});
