import { describe, expect, it } from 'vitest';
import { DrillSeries, HistogramSeries } from './drill-series.js';
import { Timebase } from './timebase.js';

describe('HistogramSeries', () => {
  it('keeps one histogram per bucket and merges them exactly when the width doubles', () => {
    const tb = new Timebase(1000, 4);
    const s = new HistogramSeries(tb);
    s.record(100, 10);
    s.record(1500, 20);
    s.record(1600, 30);
    expect(s.over(0, 1).count).toBe(1);
    expect(s.over(1, 2).max).toBe(30);
    expect(s.over(0, 2).count).toBe(3);
    s.record(4500, 40); // bucket 4 at 1 s is past the cap of 4: width 2 s, buckets [0-2 s) and [4-6 s)
    expect(tb.interval_ms).toBe(2000);
    const first = s.over(0, 1);
    expect([first.count, first.min, first.max]).toEqual([3, 10, 30]);
    expect(s.over(1, 2).count).toBe(0);
    expect(s.over(2, 3).max).toBe(40);
  });
});

describe('DrillSeries', () => {
  it('counts requests by arrival and by finish, and keeps only changes of the shown health', () => {
    const d = new DrillSeries(new Timebase(1000, 4096), 2);
    d.requestFinished(500, 2500, true);
    d.requestFinished(600, 900, false);
    d.requestFinished(1200, 9000, true);
    expect(d.finishedByArrival.toArray(3)).toEqual([2, 1, 0]);
    expect(d.badByArrival.toArray(3)).toEqual([1, 0, 0]);
    expect(d.finishedByFinish.toArray(3)).toEqual([1, 0, 1]);
    expect(d.badByFinish.toArray(3)).toEqual([1, 0, 0]);
    expect(d.e2eByArrival.over(0, 1).max).toBe(2000);
    expect(d.e2eByArrival.over(1, 2).max).toBe(7800);
    expect(d.e2eByFinish.over(9, 10).count).toBe(1);
    d.healthShown(1, 0, 'healthy');
    d.healthShown(1, 5, 'healthy');
    d.healthShown(1, 7, 'unhealthy');
    expect(d.shown[1]).toEqual([
      { at_ms: 0, health: 'healthy' },
      { at_ms: 7, health: 'unhealthy' },
    ]);
    d.cacheTokens(100, 1000, 0);
    d.cacheTokens(200, 1000, 600);
    expect([d.promptTokens.toArray(1)[0], d.cachedTokens.toArray(1)[0]]).toEqual([2000, 600]);
  });
});
