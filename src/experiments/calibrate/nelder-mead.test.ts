import { describe, expect, it } from 'vitest';
import { nelderMead } from './nelder-mead.js';

describe('bounded Nelder-Mead', () => {
  it('finds the minimum of a badly scaled bowl inside the box', async () => {
    const target = [0.37, 2.5, 40];
    const f = (x: readonly number[]) =>
      x.reduce((s, v, i) => s + (Math.log(v / target[i]) * (i + 1)) ** 2, 0);
    const r = await nelderMead(
      [
        { name: 'a', min: 0.05, max: 1, init: 0.6 },
        { name: 'b', min: 0.1, max: 50, init: 1 },
        { name: 'c', min: 1, max: 1000, init: 10 },
      ],
      f,
      { maxEvals: 600 },
    );
    for (const [i, v] of r.x.entries()) expect(Math.abs(v / target[i] - 1)).toBeLessThan(0.01);
    expect(r.evals).toBeLessThanOrEqual(600);
  });

  it('reaches a bound of 0 and stays in the box', async () => {
    const seen: number[][] = [];
    const r = await nelderMead(
      [
        { name: 'overhead', min: 0, max: 50, init: 5 },
        { name: 'scale', min: 0.5, max: 2, init: 1 },
      ],
      (x) => x[0] + (x[1] - 3) ** 2,
      { onEval: (x) => seen.push([...x]) },
    );
    expect(r.x[0]).toBeLessThan(0.01);
    expect(r.x[1]).toBe(2);
    expect(seen.every(([a, b]) => a >= 0 && a <= 50 && b >= 0.5 && b <= 2)).toBe(true);
  });

  it('is deterministic', async () => {
    const f = (x: readonly number[]) => (x[0] - 1.3) ** 2 + Math.sin(5 * x[1]) + x[1];
    const p = [
      { name: 'x', min: 0.1, max: 10, init: 5 },
      { name: 'y', min: 0.1, max: 10, init: 5 },
    ];
    expect(await nelderMead(p, f)).toEqual(await nelderMead(p, f));
  });
});
