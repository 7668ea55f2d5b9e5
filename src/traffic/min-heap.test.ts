import { describe, expect, it } from 'vitest';
import { SeededRng } from '../engine/rng.js';
import { MinHeap } from './min-heap.js';

describe('MinHeap', () => {
  it('pops by time, equal times first-in first-out', () => {
    const h = new MinHeap<string>();
    h.push(5, 'a');
    h.push(1, 'b');
    h.push(5, 'c');
    h.push(1, 'd');
    h.push(3, 'e');
    expect(h.peekTime()).toBe(1);
    const out: string[] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
    expect(out).toEqual(['b', 'd', 'e', 'a', 'c']);
    expect(h.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it('sorts 10,000 random times like Array.sort (stable)', () => {
    const rng = new SeededRng(3);
    const items = Array.from({ length: 10_000 }, (_, i) => ({ t: Math.floor(rng.next() * 500), i }));
    const h = new MinHeap<{ t: number; i: number }>();
    for (const x of items) h.push(x.t, x);
    const got: number[] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) got.push(x.i);
    expect(got).toEqual([...items].sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.i));
  });
});
