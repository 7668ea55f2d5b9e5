import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../engine/rng.js';
import { uniformPopularity, zipfPopularity, zipfProbability } from './popularity.js';

function shares(pick: (r: SeededRng) => number, n: number, draws: number): number[] {
  const rng = new SeededRng(11);
  const c = new Array(n).fill(0);
  for (let i = 0; i < draws; i++) c[pick(rng)]++;
  return c.map((x) => x / draws);
}

describe('session popularity', () => {
  it('zipf: rank r has probability r^-s / H (s = 1: rank 1 ~34.1% of 10)', () => {
    const z = zipfPopularity(10, 1);
    const s = shares((r) => z.pick(r), 10, 200_000);
    expect(zipfProbability(10, 1, 1)).toBeCloseTo(0.34142, 4);
    for (let r = 1; r <= 10; r++) expect(Math.abs(s[r - 1] - zipfProbability(10, 1, r))).toBeLessThan(0.005);
    for (let r = 1; r < 5; r++) expect(s[r - 1]).toBeGreaterThan(s[r]);
  });

  it('zipf s = 1.5 concentrates more; s = 0 is uniform', () => {
    const z = zipfPopularity(100, 1.5);
    const hot = shares((r) => z.pick(r), 100, 100_000);
    expect(Math.abs(hot[0] - zipfProbability(100, 1.5, 1))).toBeLessThan(0.006);
    const z0 = zipfPopularity(4, 0);
    const flat = shares((r) => z0.pick(r), 4, 100_000);
    for (const x of flat) expect(Math.abs(x - 0.25)).toBeLessThan(0.006);
  });

  it('uniform: every session about equally often', () => {
    const u = uniformPopularity(5);
    for (const x of shares((r) => u.pick(r), 5, 100_000)) expect(Math.abs(x - 0.2)).toBeLessThan(0.006);
  });
});
