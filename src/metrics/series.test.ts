import { describe, expect, it } from 'vitest';
import { CountSeries, SampleSeries } from './series.js';
import { Timebase } from './timebase.js';

describe('CountSeries', () => {
  it('counts into fixed buckets and grows on demand', () => {
    const s = new CountSeries(new Timebase(1000, 4096));
    s.add(0);
    s.add(999);
    s.add(1000, 3);
    s.add(250_000);
    expect(s.toArray(3)).toEqual([2, 3, 0]);
    expect(s.length).toBe(251);
    expect(s.toArray(251)[250]).toBe(1);
  });
});

describe('CountSeries.addSpan', () => {
  it('spreads a span over the buckets it covers (time-weighted areas)', () => {
    const s = new CountSeries(new Timebase(10, 4096));
    s.addSpan(5, 27); // 5 in bucket 0, 10 in bucket 1, 7 in bucket 2
    s.addSpan(12, 14, 2);
    expect(s.toArray(4)).toEqual([5, 14, 7, 0]);
    s.addSpan(30, 30);
    expect(s.toArray(4)).toEqual([5, 14, 7, 0]);
  });

  it('coarsens before spreading a span that ends past the cap', () => {
    const tb = new Timebase(10, 4);
    const s = new CountSeries(tb);
    s.addSpan(5, 45); // needs bucket 4 at width 10: width 20, buckets [15, 20, 5]
    expect(tb.interval_ms).toBe(20);
    expect(s.toArray(3)).toEqual([15, 20, 5]);
  });
});

describe('SampleSeries', () => {
  it('carries the last value over skipped buckets', () => {
    const s = new SampleSeries(new Timebase(1000, 4096));
    s.sample(0, 1);
    s.sample(3, 0.5);
    expect(s.toArray(5, 9)).toEqual([1, 1, 1, 0.5, 0.5]);
    expect(new SampleSeries(new Timebase(1000, 4096)).toArray(2, 9)).toEqual([9, 9]);
  });
});

describe('coarsening on a shared Timebase', () => {
  it('doubles the width and merges every series in pairs when a bucket lands past the cap', () => {
    const tb = new Timebase(1000, 4);
    const counts = new CountSeries(tb);
    const ends = new SampleSeries(tb);
    for (let b = 0; b < 4; b++) {
      counts.add(b * 1000 + 500, b + 1); // 1, 2, 3, 4
      ends.sample(b, 10 * (b + 1)); // 10, 20, 30, 40
    }
    expect(tb.interval_ms).toBe(1000);
    counts.add(4000, 5); // bucket 4 at 1 s: past the cap of 4
    expect(tb.interval_ms).toBe(2000);
    expect(tb.coarsenings).toBe(1);
    // Counts add: [1+2, 3+4, 5]; samples keep the later (end) value: [20, 40].
    expect(counts.toArray(3)).toEqual([3, 7, 5]);
    expect(counts.length).toBe(3);
    expect(ends.toArray(3, 0)).toEqual([20, 40, 40]);
  });

  it('merges an odd tail with nothing and keeps its sample', () => {
    const tb = new Timebase(1, 4);
    const c = new CountSeries(tb);
    const s = new SampleSeries(tb);
    c.add(0.5, 2);
    c.add(2.5, 7);
    s.sample(0, 1);
    s.sample(2, 3); // bucket 1 carries 1
    expect(tb.bucketAt(9)).toBe(2); // width 1 -> 2 -> 4
    expect(tb.interval_ms).toBe(4);
    expect(c.toArray(3)).toEqual([9, 0, 0]);
    expect(s.toArray(2, 0)).toEqual([3, 3]);
  });

  it('gives the same totals as a run at the coarse width from the start', () => {
    const fine = new Timebase(1, 8);
    const coarse = new Timebase(16, 8);
    const a = new CountSeries(fine);
    const b = new CountSeries(coarse);
    const qa = new CountSeries(fine);
    const qb = new CountSeries(coarse);
    for (let k = 0; k < 200; k++) {
      const t = (k * 37) % 120;
      a.add(t, k);
      b.add(t, k);
      qa.addSpan(t, t + 3.5);
      qb.addSpan(t, t + 3.5);
    }
    expect(fine.interval_ms).toBe(16);
    expect(a.toArray(8)).toEqual(b.toArray(8));
    expect(qa.toArray(8)).toEqual(qb.toArray(8));
  });

  it('refuses a non-finite time rather than looping', () => {
    const tb = new Timebase(1000, 4);
    expect(() => tb.bucketAt(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => new Timebase(0, 4)).toThrow(/> 0/);
  });
});
