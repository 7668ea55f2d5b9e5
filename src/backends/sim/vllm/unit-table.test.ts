import { describe, expect, it } from 'vitest';
import { UnitTable } from './unit-table.js';

describe('UnitTable', () => {
  it('answers as a Map does over random adds and deletes: runs, growth, wrap-around, any number key', () => {
    let x = 3;
    const rand = (): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
    // Consecutive ids (long probe runs), large and fractional ids, negatives and 0.
    const pick = (): number => {
      const r = rand();
      if (r < 0.5) return Math.floor(rand() * 3000);
      if (r < 0.7) return 2 ** 40 + Math.floor(rand() * 500);
      if (r < 0.85) return Math.floor(rand() * 200) / 8;
      return -Math.floor(rand() * 300);
    };
    const t = new UnitTable(4);
    const m = new Map<number, number>();
    for (let op = 0; op < 60_000; op++) {
      const k = pick();
      if (m.has(k) && rand() < 0.6) {
        t.delete(k);
        m.delete(k);
      } else if (!m.has(k)) {
        t.add(k, op);
        m.set(k, op);
      }
      const q = pick();
      expect(t.get(q)).toBe(m.get(q) ?? -1);
    }
    expect(t.size).toBe(m.size);
    expect(m.size).toBeGreaterThan(1000);
    for (const [k, v] of m) expect(t.get(k)).toBe(v);
    const values: number[] = [];
    t.forEachValue((v) => values.push(v));
    expect(values.sort((a, b) => a - b)).toEqual([...m.values()].sort((a, b) => a - b));
    expect(t.get(-0)).toBe(m.get(0) ?? -1);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.get([...m.keys()][0])).toBe(-1);
  });
});
