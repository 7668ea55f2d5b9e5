import { describe, expect, it } from 'vitest';
import {
  MAX_TIMELINE_BUCKETS,
  MAX_TIMELINE_CELLS,
  MIN_TIMELINE_BUCKETS,
  timelineBucketCap,
} from '../core/limits.js';
import { SeededRng } from '../engine/rng.js';
import { Timebase } from './timebase.js';

describe('timelineBucketCap', () => {
  it('is 4096 buckets up to 256 models, then 2^20 cells over the models, never below 256', () => {
    expect(timelineBucketCap(1)).toBe(MAX_TIMELINE_BUCKETS);
    expect(timelineBucketCap(256)).toBe(4096);
    expect(timelineBucketCap(257)).toBe(4080);
    expect(timelineBucketCap(1000)).toBe(1048);
    expect(timelineBucketCap(1000) * 1000).toBeLessThanOrEqual(MAX_TIMELINE_CELLS);
    expect(timelineBucketCap(100_000)).toBe(MIN_TIMELINE_BUCKETS);
    expect(timelineBucketCap(0)).toBe(4096);
  });
});

describe('Timebase.bucketAt', () => {
  it('is Math.floor(t / width) for every time, at bucket edges and one double either side, forward and back', () => {
    const rng = new SeededRng(7);
    let mismatches = 0;
    let checked = 0;
    for (const width of [1000, 60_000, 0.1, 0.3, 7, 123.456, 2 ** -20]) {
      const tb = new Timebase(width, 1 << 30);
      let t = 0;
      for (let k = 0; k < 20_000; k++) {
        if (rng.next() < 0.3) t += rng.next() * width * 0.5;
        const edge = (Math.floor(t / width) + 1) * width;
        const r = rng.next();
        const x =
          r < 0.2
            ? edge
            : r < 0.3
              ? edge * (1 - 2 ** -52)
              : r < 0.4
                ? edge * (1 + 2 ** -52)
                : r < 0.5
                  ? Math.max(0, t - rng.next() * width * 3)
                  : t;
        checked++;
        if (tb.bucketAt(x) !== Math.floor(x / width)) mismatches++;
      }
    }
    expect(checked).toBe(140_000);
    expect(mismatches).toBe(0);
  });

  it('forgets its cached bucket when the width doubles', () => {
    const tb = new Timebase(10, 4);
    expect(tb.bucketAt(25)).toBe(2);
    expect(tb.bucketAt(45)).toBe(2); // past the cap: the width doubles to 20
    expect(tb.interval_ms).toBe(20);
    expect(tb.bucketAt(25)).toBe(1);
    expect(tb.bucketAt(39.999)).toBe(1);
    expect(tb.bucketAt(40)).toBe(2);
  });
});
