import { describe, expect, it } from 'vitest';
import {
  MAX_TIMELINE_BUCKETS,
  MAX_TIMELINE_CELLS,
  MIN_TIMELINE_BUCKETS,
  timelineBucketCap,
} from '../core/limits.js';

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
