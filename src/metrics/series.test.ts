import { describe, expect, it } from 'vitest';
import { CountSeries, SampleSeries } from './series.js';

describe('CountSeries', () => {
  it('counts into fixed buckets and grows on demand', () => {
    const s = new CountSeries(1000);
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
    const s = new CountSeries(10);
    s.addSpan(5, 27); // 5 in bucket 0, 10 in bucket 1, 7 in bucket 2
    s.addSpan(12, 14, 2);
    expect(s.toArray(4)).toEqual([5, 14, 7, 0]);
    s.addSpan(30, 30);
    expect(s.toArray(4)).toEqual([5, 14, 7, 0]);
  });
});

describe('SampleSeries', () => {
  it('carries the last value over skipped buckets', () => {
    const s = new SampleSeries();
    s.sample(0, 1);
    s.sample(3, 0.5);
    expect(s.toArray(5, 9)).toEqual([1, 1, 1, 0.5, 0.5]);
    expect(new SampleSeries().toArray(2, 9)).toEqual([9, 9]);
  });
});
