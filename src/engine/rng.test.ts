import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RngStreams, SeededRng } from './rng.js';

describe('SeededRng', () => {
  it("draws exactly seedrandom's Alea sequence, bit for bit", () => {
    for (const seed of ['1/arrivals', '42/backend/model-3', '', 7]) {
      const ref = seedrandom.alea(String(seed));
      const rng = new SeededRng(seed);
      let mismatches = 0;
      for (let i = 0; i < 100_000; i++) if (rng.next() !== ref()) mismatches++;
      expect(mismatches).toBe(0);
    }
  });

  it('int(n) is floor(next() * n), in [0, n)', () => {
    const a = new SeededRng('int');
    const b = new SeededRng('int');
    for (let i = 0; i < 1000; i++) {
      const k = a.int(10);
      expect(k).toBe(Math.floor(b.next() * 10));
      expect(k >= 0 && k < 10).toBe(true);
    }
  });

  it('streams of one seed are independent of which others were created first', () => {
    const s1 = new RngStreams(3);
    const s2 = new RngStreams(3);
    s2.get('router').next();
    expect(s1.get('arrivals').next()).toBe(s2.get('arrivals').next());
    expect(s1.get('arrivals').next()).not.toBe(s1.get('sizes').next());
  });
});
