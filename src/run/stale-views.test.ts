import { describe, expect, it } from 'vitest';
import { MemoryCacheView, MemoryLoadView, MemoryQuotaView } from '../router/memory-views.js';
import { StaleViews } from './stale-views.js';

describe('StaleViews', () => {
  it('shows the live views as they were at the last refresh', () => {
    const load = new MemoryLoadView([4, 4]);
    const cache = new MemoryCacheView([0.5, 0.9]);
    const quota = new MemoryQuotaView([1000, Number.POSITIVE_INFINITY], [0.5, 0]);
    const s = new StaleViews(2, load, cache, quota);
    load.set(0, 4, 2);
    cache.setHitRate(0, 0.1);
    quota.consume(0, 300);
    expect(s.load(0)).toBe(0);
    expect(s.getCacheHitRate(0)).toBe(0.5);
    expect(s.usage(0)).toBe(0.5);
    expect(s.checkQuota(0, 500)).toBe(true);
    expect(s.checkQuota(0, 501)).toBe(false);
    expect(s.checkQuota(1, 1e12)).toBe(true);
    s.refresh();
    expect(s.load(0)).toBe(1.5);
    expect(s.inFlight(0)).toBe(4);
    expect(s.queueDepth(0)).toBe(2);
    expect(s.getCacheHitRate(0)).toBe(0.1);
    expect(s.usage(0)).toBe(0.8);
    expect(s.checkQuota(0, 200)).toBe(true);
    expect(s.checkQuota(0, 201)).toBe(false);
  });
});
