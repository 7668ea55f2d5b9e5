import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decimal,
  int,
  ms,
  NONE,
  num,
  numBeside,
  pct,
  plusMinus,
  roundDeep,
  roundTo,
  signed,
  toPrecisionOf,
} from './format.js';

describe('num', () => {
  it('never prints float noise or an exponent', () => {
    expect(num(1118.5000000000036)).toBe('1,119');
    expect(num(0.1 + 0.2)).toBe('0.3');
    expect(num(0.970831)).toBe('0.971');
    expect(num(123456.789)).toBe('123,457');
    expect(num(-1234.5)).toBe('-1,235');
    expect(num(1e21 + 1)).toBe('1,000,000,000,000,000,000,000');
  });

  it('writes a value too small for the precision as <0.001, not 0, and 0 as 0', () => {
    expect(num(0.0000984)).toBe('<0.001');
    expect(num(-0.00001)).toBe('>-0.001');
    expect(num(0)).toBe('0');
    expect(num(-0)).toBe('0');
  });

  it('says — for missing values and ∞ for infinities', () => {
    expect(num(null)).toBe(NONE);
    expect(num(undefined)).toBe(NONE);
    expect(num(Number.NaN)).toBe(NONE);
    expect(num(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(int(Number.NEGATIVE_INFINITY)).toBe('-∞');
  });

  it('integers keep every digit, with separators', () => {
    expect(int(1670.4)).toBe('1,670');
    expect(num(17216)).toBe('17,216');
    expect(num(12)).toBe('12');
  });
});

describe('ms', () => {
  it('gives latencies 4 significant digits and nothing finer than 10 µs', () => {
    expect(ms(200.5)).toBe('200.5');
    expect(ms(20.408163)).toBe('20.41');
    expect(ms(60.125)).toBe('60.13');
    expect(ms(0.5123)).toBe('0.51');
    expect(ms(0.000492)).toBe('<0.01');
    expect(ms(14432)).toBe('14,432');
    expect(ms(1118.5000000000036)).toBe('1,119');
  });
});

describe('pct', () => {
  it('is a share of 1 in percent with one fixed decimal, so columns line up', () => {
    expect(pct(0.293977)).toBe('29.4%');
    expect(pct(0.53)).toBe('53.0%');
    expect(pct(1)).toBe('100.0%');
    expect(pct(0)).toBe('0.0%');
    expect(pct(-0.00001)).toBe('>-0.1%');
    expect(pct(0.0004)).toBe('<0.1%');
  });
});

describe('plusMinus', () => {
  it('rounds the mean to the place of the half-width (2 significant digits)', () => {
    expect(plusMinus(1204.3, 56.78)).toBe('1,204 ± 57');
    expect(plusMinus(0.970831, 0.01234)).toBe('0.971 ± 0.012');
    expect(plusMinus(12.3456, 0.5)).toBe('12.35 ± 0.50');
    expect(plusMinus(-0.001, 0.5)).toBe('0.00 ± 0.50');
  });

  it('caps the decimals for latencies: no more `0.0000984 ± 0.000148`', () => {
    expect(plusMinus(0.0000984, 0.000148, { sig: 4, maxDecimals: 2 })).toBe('0.00 ± <0.01');
    expect(plusMinus(0.0000984, 0.000148)).toBe('0.000 ± <0.001');
  });

  it('gives the mean alone without a half-width', () => {
    expect(plusMinus(1204.3, null)).toBe('1,204');
    expect(plusMinus(0.5, 0)).toBe('0.5');
  });
});

describe('signed and toPrecisionOf', () => {
  it('formats a difference and its interval to the same place', () => {
    const f = toPrecisionOf(38.2);
    expect([signed(120.44, f), signed(-3.2, f), signed(0, f)]).toEqual(['+120', '-3', '0']);
    expect(toPrecisionOf(null)(0.970831)).toBe('0.971');
  });
});

describe('numBeside', () => {
  it('adds digits only when the actual would print like the threshold it was compared with', () => {
    expect(numBeside(20.17931, 19)).toBe('20.2');
    expect(numBeside(21.0004, 21)).toBe('21.0004');
    expect(numBeside(0.30000000000000004, 0.3)).toBe('0.3');
    expect(numBeside(null, 3)).toBe(NONE);
  });
});

describe('roundTo', () => {
  it('writes file numbers without float noise', () => {
    expect(roundTo(98.18899999999985, 3)).toBe(98.189);
    expect(roundTo(140.68399999999997, 3)).toBe(140.684);
    expect(roundTo(-0.0001, 3)).toBe(0);
    expect(JSON.stringify({ t_ms: roundTo(444.9939999999999, 3) })).toBe('{"t_ms":444.994}');
  });
});

describe('decimal', () => {
  const intl = (x: number, d: number, padded: boolean) =>
    new Intl.NumberFormat('en-US', {
      minimumFractionDigits: padded ? d : 0,
      maximumFractionDigits: d,
    }).format(x);

  it('writes what Intl.NumberFormat en-US writes, ties, signed zeros and huge values included', () => {
    const xs = [
      0,
      -0,
      0.5,
      1.5,
      2.5,
      -2.5,
      0.125,
      1.005,
      -1.005,
      9.995,
      999.9995,
      1234.5,
      -0.0001,
      1e-7,
      0.1 + 0.2,
      1118.5000000000036,
      123456789.125,
      2 ** 53 + 2,
      1e20,
      9.99e20,
      1e21,
      -1e22,
      5e-324,
    ];
    for (const x of xs)
      for (let d = 0; d <= 6; d++)
        for (const padded of [false, true])
          expect(decimal(x, d, padded), `${x} ${d} ${padded}`).toBe(intl(x, d, padded));
  });

  it('agrees with Intl on any double at any number of decimals (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 15 }),
        fc.boolean(),
        (x, d, p) => decimal(x, d, p) === intl(x, d, p),
      ),
      { numRuns: 20_000, seed: 15 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (n, e, d, p) => {
          const x = n / 10 ** e; // decimal fractions: the ties and near-ties printers meet
          return decimal(x, d, p) === intl(x, d, p);
        },
      ),
      { numRuns: 20_000, seed: 15 },
    );
  });
});

describe('roundDeep', () => {
  it('rounds every non-integer number in arrays and objects, key order kept, and leaves the rest', () => {
    const v = {
      a: 0.1 + 0.2,
      b: [1118.5000000000036, 3, -0.0000001],
      c: { d: Infinity, e: 'x', f: null },
      g: 7,
    };
    const r = roundDeep(v, 6) as typeof v;
    expect(r).toEqual({ a: 0.3, b: [1118.5, 3, 0], c: { d: Infinity, e: 'x', f: null }, g: 7 });
    expect(Object.keys(r)).toEqual(['a', 'b', 'c', 'g']);
    expect(Object.is((r.b as number[])[2], 0)).toBe(true); // -1e-7 rounds to 0, not -0
    expect(roundDeep(Number.NaN, 2)).toBeNaN();
    expect(roundDeep(2.345678, 2)).toBe(2.35);
  });
});
