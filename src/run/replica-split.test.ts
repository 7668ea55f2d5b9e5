import { describe, expect, it } from 'vitest';
import { SeededRng } from '../engine/rng.js';
import { fnv1a, ReplicaSplit } from './replica-split.js';

describe('ReplicaSplit', () => {
  it('hashes with 32-bit FNV-1a (the published test vectors)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('session_hash keeps a session on one replica; requests without one go round-robin', () => {
    const s = new ReplicaSplit(4, 'session_hash', new SeededRng(1));
    expect(s.assign('foobar')).toBe(0xbf9cf968 % 4);
    expect(s.assign('foobar')).toBe(0xbf9cf968 % 4);
    expect([
      s.assign(undefined),
      s.assign(undefined),
      s.assign(undefined),
      s.assign(undefined),
      s.assign(undefined),
    ]).toEqual([0, 1, 2, 3, 0]);
  });

  it('random draws every replica about equally often, and always 0 with one replica', () => {
    const s = new ReplicaSplit(3, 'random', new SeededRng(7));
    const counts = [0, 0, 0];
    for (let k = 0; k < 30_000; k++) counts[s.assign('x')]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const one = new ReplicaSplit(1, 'random', new SeededRng(7));
    expect(one.assign(undefined)).toBe(0);
  });
});
