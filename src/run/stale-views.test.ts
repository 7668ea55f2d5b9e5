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

  it('freezes one model: live for the others without signals.refresh, not refreshed with it', () => {
    const load = new MemoryLoadView([4, 4]);
    const cache = new MemoryCacheView([0.5, 0.9]);
    const quota = new MemoryQuotaView([1000, 1000], [0, 0]);
    const live = new StaleViews(2, load, cache, quota, false);
    live.freeze(0, true);
    load.set(0, 4, 0);
    load.set(1, 2, 0);
    cache.setHitRate(0, 0.1);
    expect([live.load(0), live.load(1), live.getCacheHitRate(0)]).toEqual([0, 0.5, 0.5]);
    live.freeze(0, false);
    expect([live.load(0), live.getCacheHitRate(0)]).toEqual([1, 0.1]);

    const periodic = new StaleViews(2, load, cache, quota, true);
    periodic.freeze(1, true);
    load.set(0, 2, 0);
    load.set(1, 4, 0);
    periodic.refresh();
    expect([periodic.load(0), periodic.load(1)]).toEqual([0.5, 0.5]);
    periodic.freeze(1, false); // fresh again at once
    expect(periodic.load(1)).toBe(1);
  });
});
