import { describe, expect, it } from 'vitest';
import { FreeList } from './free-list.js';

describe('FreeList', () => {
  it('hands out indices low-first, reuses given-back ones, and doubles when full', () => {
    const f = new FreeList(2);
    expect([f.take(), f.take(), f.take()]).toEqual([0, 1, -1]);
    expect(f.used).toBe(2);
    expect(f.grow()).toBe(4);
    expect([f.take(), f.take()]).toEqual([2, 3]);
    f.give(1);
    expect(f.used).toBe(3);
    expect([f.take(), f.take()]).toEqual([1, -1]);
    expect(f.capacity).toBe(4);
  });
});
