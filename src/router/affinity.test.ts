import { describe, expect, it } from 'vitest';
import { AffinityTable } from './affinity.js';

describe('AffinityTable', () => {
  it('expires after the timeout of inactivity, counting each expiry once', () => {
    const t = new AffinityTable();
    t.pin('s', 2, 0);
    expect(t.lookup('s', 100, 100)).toBe(2); // exactly at the timeout: still fresh
    t.touch('s', 2, 150);
    expect(t.lookup('s', 250, 100)).toBe(2);
    expect(t.lookup('s', 251, 100)).toBe(-1);
    expect(t.lookup('s', 252, 100)).toBe(-1);
    expect([t.expired, t.size]).toEqual([1, 0]);
    // The lookup at 251 found the entry stale; the one at 252 found none.
    expect(t.staleHits).toBe(1);
  });

  it('counts a stale hit only when a lookup finds the expired entry, not when the sweep removes it', () => {
    const t = new AffinityTable();
    t.pin('found', 0, 0);
    t.pin('swept', 0, 0);
    expect(t.lookup('found', 50, 10)).toBe(-1);
    t.sweep(50, 10);
    expect(t.lookup('swept', 60, 10)).toBe(-1);
    expect([t.expired, t.staleHits, t.size]).toEqual([2, 1, 0]);
  });

  it('the sweep bounds the table: 100,000 one-shot sessions leave at most one sweep period of entries', () => {
    const t = new AffinityTable();
    for (let k = 0; k < 100_000; k++) {
      const name = `s${k}`;
      if (t.lookup(name, k, 10) < 0) t.pin(name, 0, k);
    }
    expect(t.size).toBeLessThanOrEqual(1024 + 11);
    expect(t.expired + t.size).toBe(100_000);
    // One-shot sessions never come back: every expiry was the sweep's.
    expect(t.staleHits).toBe(0);
  });

  it('remaps indices after a registry change and drops removed models', () => {
    const t = new AffinityTable();
    t.pin('a', 0, 0);
    t.pin('b', 1, 0);
    t.remap((old) => (old === 0 ? -1 : 0));
    expect([t.lookup('a', 1, 10), t.lookup('b', 1, 10)]).toEqual([-1, 0]);
  });
});
