import { describe, expect, it } from 'vitest';
import { CLASS_CHANGE, CLASS_NORMAL, EventHeap, orderKey } from './heap.js';

/** A fixed LCG, so the test's "random" workload is the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('EventHeap', () => {
  it('pops in (time, insertion order) order against a sorted reference, with many ties and growth', () => {
    const rand = lcg(42);
    const h = new EventHeap(4);
    // Reference: pending events as [time, seq, target]; the minimum (time, seq) must pop next.
    const ref: [number, number, number][] = [];
    let seq = 0;
    let popped = 0;
    for (let step = 0; step < 10_000; step++) {
      if (ref.length === 0 || rand() < 0.55) {
        // Coarse times (0..49 plus a drift) so that equal times are common.
        const t = Math.floor(rand() * 50) + (step >> 6);
        h.push(t, seq, seq & 7, seq * 0.5);
        ref.push([t, seq, seq]);
        seq++;
      } else {
        let best = 0;
        for (let k = 1; k < ref.length; k++) {
          const a = ref[k];
          const b = ref[best];
          if (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])) best = k;
        }
        const [t, s] = ref.splice(best, 1)[0];
        const ok = h.pop();
        const got = [ok, h.poppedTime, h.poppedTarget, h.poppedKind, h.poppedArg];
        // expect() only on a mismatch: 10,000 steps of expect() calls would dominate the test's time.
        if (got.join() !== [true, t, s, s & 7, s * 0.5].join())
          expect(got).toEqual([true, t, s, s & 7, s * 0.5]);
        popped++;
      }
      if (h.size !== ref.length) expect(h.size).toBe(ref.length);
    }
    expect(popped).toBeGreaterThan(3000);
  });

  it('peeks the earliest time and order key, and reports empty', () => {
    const h = new EventHeap(2);
    expect(h.peekTime()).toBe(Number.POSITIVE_INFINITY);
    expect(h.pop()).toBe(false);
    h.push(5, 1, 0, 0);
    h.push(3, 2, 0, 0);
    h.push(3, 3, 0, 0);
    expect(h.peekTime()).toBe(3);
    expect(h.peekKey()).toBe(orderKey(CLASS_NORMAL, 1)); // the second push (sequence numbers start at 0)
    // A reserved sequence number is skipped by later pushes.
    expect(h.reserveKey(CLASS_NORMAL)).toBe(orderKey(CLASS_NORMAL, 3));
    h.push(1, 4, 0, 0);
    expect(h.peekKey()).toBe(orderKey(CLASS_NORMAL, 4));
    const order: number[] = [];
    while (h.pop()) order.push(h.poppedTarget);
    expect(order).toEqual([4, 2, 3, 1]);
    h.push(9, 7, 0, 0);
    h.clear();
    expect(h.size).toBe(0);
    h.push(2, 8, 0, 0);
    expect(h.pop()).toBe(true);
    expect(h.poppedTarget).toBe(8);
  });

  it('pops a lower priority class first at one instant, whatever the push order', () => {
    const h = new EventHeap(2);
    h.push(5, 1, 0, 0);
    h.push(3, 2, 0, 0);
    h.push(3, 3, 0, 0, CLASS_CHANGE);
    h.push(3, 4, 0, 0);
    h.push(3, 5, 0, 0, CLASS_CHANGE);
    h.push(2, 6, 0, 0);
    const order: number[] = [];
    while (h.pop()) order.push(h.poppedTarget);
    expect(order).toEqual([6, 3, 5, 2, 4, 1]);
  });
});
