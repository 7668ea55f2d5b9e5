import { describe, expect, it } from 'vitest';
import type { ArrivalSpec } from '../../core/types.js';
import { SeededRng } from '../../engine/rng.js';
import { inBurst } from './bursts.js';
import { makeArrivalProcess } from './process.js';

function times(spec: ArrivalSpec, n: number, seed = 7, scale = 1): number[] {
  const p = makeArrivalProcess(spec, new SeededRng(seed), scale);
  return Array.from({ length: n }, () => p.next());
}
function until(spec: ArrivalSpec, endMs: number, seed = 7): number[] {
  const p = makeArrivalProcess(spec, new SeededRng(seed));
  const out: number[] = [];
  for (let t = p.next(); t < endMs; t = p.next()) out.push(t);
  return out;
}
function gaps(t: number[]): { mean: number; cv: number } {
  const g = t.map((x, i) => x - (i > 0 ? t[i - 1] : 0));
  const mean = g.reduce((a, b) => a + b, 0) / g.length;
  const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length);
  return { mean, cv: sd / mean };
}
const countIn = (t: number[], pred: (x: number) => boolean) => t.filter(pred).length;

describe('arrival processes (seeded; bounds are > 4 standard errors wide)', () => {
  it('poisson: mean gap 1000/rate within 3%, CV 1 within 0.03, non-decreasing', () => {
    const t = times({ process: 'poisson', rate: 10, params: {} }, 20_000);
    const g = gaps(t);
    expect(g.mean).toBeGreaterThan(97);
    expect(g.mean).toBeLessThan(103);
    expect(Math.abs(g.cv - 1)).toBeLessThan(0.03);
    expect(t.every((x, i) => i === 0 || x >= t[i - 1])).toBe(true);
  });

  it('poisson: a scale multiplies the rate', () => {
    const g = gaps(times({ process: 'poisson', rate: 10, params: {} }, 20_000, 3, 0.25));
    expect(g.mean).toBeGreaterThan(388);
    expect(g.mean).toBeLessThan(412);
  });

  it('constant: exact gaps from 0, no drift', () => {
    const p = makeArrivalProcess({ process: 'constant', rate: 3, params: {} }, new SeededRng(1));
    const t = [p.next(), p.next(), p.next(), p.next()];
    expect(t).toEqual([0, 1000 / 3, 2000 / 3, 1000]);
    let last = 0;
    for (let i = 4; i <= 300_000; i++) last = p.next();
    expect(last).toBeCloseTo(100_000_000, 6);
  });

  it('gamma: the asked CV (0.5 and 2) and the mean rate', () => {
    const a = gaps(times({ process: 'gamma', rate: 20, params: { cv: 0.5 } }, 40_000));
    expect(Math.abs(a.mean - 50) / 50).toBeLessThan(0.02);
    expect(Math.abs(a.cv - 0.5)).toBeLessThan(0.02);
    const b = gaps(times({ process: 'gamma', rate: 20, params: { cv: 2 } }, 80_000));
    expect(Math.abs(b.mean - 50) / 50).toBeLessThan(0.05);
    expect(Math.abs(b.cv - 2)).toBeLessThan(0.12);
  });

  it('diurnal: the mean rate over whole periods, and peak over trough as the cosine says', () => {
    const P = 60_000;
    const t = until({ process: 'diurnal', rate: 10, params: { period_ms: P, peak_to_trough: 3 } }, 20 * P);
    // 12,000 expected, sd ~110.
    expect(Math.abs(t.length - 12_000)).toBeLessThan(500);
    const phase = (x: number) => (x % P) / P;
    const peak = countIn(t, (x) => Math.abs(phase(x) - 0.5) < 0.125);
    const trough = countIn(t, (x) => phase(x) < 0.125 || phase(x) > 0.875);
    // a = 0.5; mean rate over a quarter period around the peak is 1 + a * 0.9003, around the trough 1 - a * 0.9003.
    expect(peak / trough).toBeGreaterThan(2.3);
    expect(peak / trough).toBeLessThan(3.0);
  });

  it('bursts: the mean rate, and burst_factor times the calm rate inside bursts', () => {
    const spec = {
      process: 'bursts' as const,
      rate: 10,
      params: { on_ms: 1000, off_ms: 4000, burst_factor: 5 },
    };
    const t = until(spec, 2_000_000);
    expect(Math.abs(t.length - 20_000) / 20_000).toBeLessThan(0.04);
    const inside = countIn(t, (x) => inBurst(x, 1000, 4000));
    const ratio = inside / 1000 / ((t.length - inside) / 4000);
    expect(ratio).toBeGreaterThan(4.5);
    expect(ratio).toBeLessThan(5.5);
  });

  it('ramp: a linear rise from from_rate, then the rate', () => {
    const t = until({ process: 'ramp', rate: 20, params: { from_rate: 0, ramp_ms: 100_000 } }, 200_000);
    const first = countIn(t, (x) => x < 100_000); // expected 1,000
    const second = t.length - first; // expected 2,000
    expect(Math.abs(first - 1000)).toBeLessThan(130);
    expect(Math.abs(second - 2000)).toBeLessThan(180);
    const q1 = countIn(t, (x) => x < 50_000); // 250 expected: a quarter of the ramp's arrivals
    expect(Math.abs(q1 - 250)).toBeLessThan(65);
  });

  it('rejects nonsense loudly', () => {
    const r = new SeededRng(1);
    expect(() => makeArrivalProcess({ process: 'poisson', rate: 0, params: {} }, r)).toThrow(/rate must be/);
    expect(() => makeArrivalProcess({ process: 'gamma', rate: 1, params: { cv: -1 } }, r)).toThrow(/cv/);
    expect(() => makeArrivalProcess({ process: 'diurnal', rate: 1, params: { amplitude: 1 } }, r)).toThrow(
      /amplitude/,
    );
    expect(() =>
      makeArrivalProcess({ process: 'bursts', rate: 1, params: { burst_factor: 0.5 } }, r),
    ).toThrow(/burst_factor/);
  });
});
