import { describe, expect, it } from 'vitest';
import { PrefixLru } from './prefix-lru.js';

describe('PrefixLru', () => {
  it('matches leading blocks only, stopping at the first miss', () => {
    const c = new PrefixLru(10);
    c.insert([1, 2, 3]);
    expect(c.match([1, 2, 3, 4], false)).toBe(3);
    expect(c.match([1, 9, 3], false)).toBe(1);
    expect(c.match([9, 1, 2], false)).toBe(0);
    expect(c.match([], false)).toBe(0);
  });

  it('evicts least recently used blocks, the tail of a prefix before its head', () => {
    const c = new PrefixLru(4);
    c.insert([1, 2, 3]);
    expect(c.order()).toEqual([1, 2, 3]);
    c.insert([10, 11]); // full: evicts 3 (the oldest)
    expect(c.order()).toEqual([10, 11, 1, 2]);
    expect(c.evictions).toBe(1);
    expect(c.match([1, 2, 3], true)).toBe(2); // touches 1, 2
    expect(c.order()).toEqual([1, 2, 10, 11]);
    c.insert([20]); // evicts 11
    expect(c.order()).toEqual([20, 1, 2, 10]);
    expect(c.has(11)).toBe(false);
    expect(c.match([10, 11], false)).toBe(1);
    // A list longer than the cache keeps its first `capacity` blocks.
    c.insert([30, 31, 32, 33, 34, 35]);
    expect(c.order()).toEqual([30, 31, 32, 33]);
    expect(c.size).toBe(4);
  });

  it('capacity 0 caches nothing; grows its arrays past the initial size', () => {
    const z = new PrefixLru(0);
    z.insert([1]);
    expect(z.match([1], true)).toBe(0);
    const big = new PrefixLru(5000);
    const blocks = Array.from({ length: 3000 }, (_, i) => i);
    big.insert(blocks);
    expect(big.match(blocks, false)).toBe(3000);
  });
});

describe('PrefixLru against a reference LRU', () => {
  it('agrees with a Map-ordered LRU on random prefix traffic (evictions, ordering)', () => {
    // Reference: a Map whose insertion order is recency order (delete + set = touch).
    const cap = 50;
    const ref = new Map<number, true>();
    const refTouch = (b: number) => {
      ref.delete(b);
      ref.set(b, true);
    };
    const refMatch = (blocks: number[]) => {
      let m = 0;
      while (m < blocks.length && ref.has(blocks[m])) m++;
      for (let i = m - 1; i >= 0; i--) refTouch(blocks[i]);
      return m;
    };
    const refInsert = (blocks: number[]) => {
      for (let i = Math.min(blocks.length, cap) - 1; i >= 0; i--) {
        if (!ref.has(blocks[i]) && ref.size === cap) ref.delete(ref.keys().next().value as number);
        refTouch(blocks[i]);
      }
    };
    const lru = new PrefixLru(cap);
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    let mismatches = 0;
    for (let step = 0; step < 20_000; step++) {
      // 12 prefixes with branching tails; lengths 1..20.
      const p = Math.floor(rand() * 12);
      const len = 1 + Math.floor(rand() * 20);
      const branch = Math.floor(rand() * 3);
      const blocks = Array.from({ length: len }, (_, i) =>
        i < 8 ? p * 1000 + i : p * 1000 + branch * 100 + i,
      );
      if (rand() < 0.5) {
        if (lru.match(blocks, true) !== refMatch(blocks)) mismatches++;
      } else {
        lru.insert(blocks);
        refInsert(blocks);
      }
    }
    expect(mismatches).toBe(0);
    expect(lru.order()).toEqual([...ref.keys()].reverse());
    expect(lru.evictions).toBeGreaterThan(1000);
  });
});
