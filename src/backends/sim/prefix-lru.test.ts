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

/** A Map whose insertion order is recency order (delete + set = touch), with PrefixLru's semantics. */
function referenceLru(cap: number) {
  const ref = new Map<number, true>();
  let evictions = 0;
  const touch = (b: number) => {
    ref.delete(b);
    ref.set(b, true);
  };
  return {
    match(blocks: number[], t: boolean): number {
      let m = 0;
      while (m < blocks.length && ref.has(blocks[m])) m++;
      if (t) for (let i = m - 1; i >= 0; i--) touch(blocks[i]);
      return m;
    },
    insert(blocks: number[]): void {
      for (let i = Math.min(blocks.length, cap) - 1; i >= 0; i--) {
        if (!ref.has(blocks[i]) && ref.size === cap) {
          ref.delete(ref.keys().next().value as number);
          evictions++;
        }
        touch(blocks[i]);
      }
    },
    order: () => [...ref.keys()].reverse(),
    evictions: () => evictions,
  };
}

describe('PrefixLru against a reference LRU', () => {
  it('keeps a fresh run of consecutive ids as one unit: evicted from its end, found at any block, grown', () => {
    const check = (cap: number, ops: Array<[string, number[], boolean?]>) => {
      const ref = referenceLru(cap);
      const lru = new PrefixLru(cap);
      for (const [op, blocks, touch] of ops) {
        if (op === 'insert') {
          lru.insert(blocks);
          ref.insert(blocks);
        } else expect(lru.match(blocks, touch === true)).toBe(ref.match(blocks, touch === true));
        expect(lru.order()).toEqual(ref.order());
        expect(lru.evictions).toBe(ref.evictions());
      }
    };
    const run = (lo: number, n: number) => Array.from({ length: n }, (_, i) => lo + i);
    // Three ranges; lookups at each one's first, inner and last block; evictions across a range's end.
    check(20, [
      ['insert', [0, 1, ...run(10, 4)]],
      ['insert', [0, 1, ...run(20, 3)]],
      ['insert', [0, 1, ...run(30, 5)]],
      ['match', [0, 1, 20, 21, 22, 99], false],
      ['match', [0, 1, 21], false],
      ['match', [10], false],
      ['match', [0, 1, 30, 31], true],
      ['insert', [0, 1, ...run(40, 6)]],
      ['insert', [0, 1, ...run(50, 4)]],
      ['match', [0, 1, 10, 11, 12, 13], true],
      ['match', [0, 1, 34], false],
      ['insert', [...run(60, 19)]],
      ['insert', [0, 1, 61, 62, 63, 64]],
      ['insert', [...run(100, 25)]],
      ['match', [100, 101, 119, 120], true],
    ]);
    // Many long ranges in a big cache, then every one looked up (touched): turning them into entries
    // grows the table in the middle of match() and insert().
    const ops: Array<[string, number[], boolean?]> = [];
    for (let k = 0; k < 60; k++) ops.push(['insert', [5, 6, 7, ...run(1000 + 100 * k, 60)]]);
    for (let k = 59; k >= 0; k -= 2) ops.push(['match', [5, 6, 7, ...run(1000 + 100 * k, 61)], true]);
    for (let k = 0; k < 60; k += 2) ops.push(['insert', [5, 6, 7, ...run(1000 + 100 * k, 30), 7]]);
    check(5000, ops);
    check(2000, ops);
  });

  it('agrees on shared prefixes with fresh consecutive ids, repeats, runs out of order and odd ids', () => {
    let seed = 777;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (const cap of [1, 7, 64, 300, 3000]) {
      const ref = referenceLru(cap);
      const lru = new PrefixLru(cap);
      let next = 100;
      const recent: number[][] = [];
      let mismatches = 0;
      for (let step = 0; step < 6000; step++) {
        const r = rand();
        let blocks: number[];
        if (r < 0.5) {
          // A shared system prompt (8 blocks) + fresh consecutive ids, like the synthetic generator.
          const fresh = Math.floor(rand() * 30);
          blocks = Array.from({ length: 8 + fresh }, (_, i) => (i < 8 ? i : next++));
        } else if (r < 0.6) {
          // Fresh ids, not in order: repeated, decreasing, or a gap then an earlier one.
          const a = next;
          next += 5;
          const k = rand();
          blocks =
            k < 0.33
              ? [0, 1, a, a + 1, a + 1]
              : k < 0.66
                ? [0, a + 3, a + 2, a + 1]
                : [a + 4, a, a + 4, a + 2];
        } else if (r < 0.75 && recent.length > 0) {
          // An earlier prompt again, or its first part, or with its blocks reversed or repeated.
          const old = recent[Math.floor(rand() * recent.length)];
          const k = rand();
          if (k < 0.4) blocks = old.slice(0, 1 + Math.floor(rand() * old.length));
          else if (k < 0.6) blocks = [...old].reverse();
          else if (k < 0.8) blocks = [...old, ...old.slice(0, 3)];
          else blocks = [old[0], old[0], ...old];
        } else {
          // Ids far apart: negative, fractional, beyond 2^32, multiples of the table size.
          const pick = [-3, -1, 0.5, 2 ** 32 + 1, 2 ** 40, 2 ** 53 - 1, 4096, 8192, 16384, 65536, 1e15];
          blocks = Array.from(
            { length: 1 + Math.floor(rand() * 6) },
            () => pick[Math.floor(rand() * pick.length)],
          );
        }
        recent.push(blocks);
        if (recent.length > 40) recent.shift();
        if (rand() < 0.4) {
          const t = rand() < 0.8;
          if (lru.match(blocks, t) !== ref.match(blocks, t)) mismatches++;
        } else {
          lru.insert(blocks);
          ref.insert(blocks);
        }
      }
      expect(mismatches).toBe(0);
      expect(lru.order()).toEqual(ref.order());
      expect(lru.evictions).toBe(ref.evictions());
      expect(lru.size).toBe(Math.min(cap, ref.order().length));
    }
  });

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
