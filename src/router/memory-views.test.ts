import { describe, expect, it } from 'vitest';
import {
  MemoryCacheView,
  MemoryLoadView,
  MemoryQuotaView,
  MemoryRegistry,
  modelInfo,
} from './memory-views.js';

describe('memory views', () => {
  it('registry: indices, health, version bumps only on membership changes', () => {
    const r = new MemoryRegistry(['a', modelInfo('b', { weight: 3 })], ['healthy', 'degraded']);
    expect(r.indexOf('b')).toBe(1);
    expect(r.get('b')?.weight).toBe(3);
    expect(r.getHealthyModels().map((m) => m.id)).toEqual(['a']);
    const v = r.version();
    r.updateHealthStatus('b', 'healthy');
    expect(r.version()).toBe(v);
    expect(r.getHealthyModels()).toHaveLength(2);
    r.add(modelInfo('c'));
    expect(r.version()).toBe(v + 1);
    r.remove('a');
    expect([r.indexOf('c'), r.indexOf('a'), r.version()]).toEqual([1, -1, v + 2]);
    expect(() => r.updateHealthStatus('zz', 'healthy')).toThrow(/unknown model zz/);
  });

  it('load = (in flight + queued) / max_concurrency; acquire queues beyond the slots', () => {
    const l = new MemoryLoadView([2, 4]);
    l.acquire(0);
    l.acquire(0);
    l.acquire(0);
    expect([l.inFlight(0), l.queueDepth(0), l.load(0)]).toEqual([2, 1, 1.5]);
    l.release(0);
    expect([l.inFlight(0), l.queueDepth(0), l.load(0)]).toEqual([2, 0, 1]);
    l.set(1, 3, 1);
    expect(l.load(1)).toBe(1);
  });

  it('quota: room for tokens, usage share, consume', () => {
    const q = new MemoryQuotaView([1000, Number.POSITIVE_INFINITY], [0.95]);
    expect(q.checkQuota(0, 50)).toBe(true);
    expect(q.checkQuota(0, 51)).toBe(false);
    q.consume(0, 50);
    expect(q.usage(0)).toBe(1);
    expect([q.usage(1), q.checkQuota(1, 1e12)]).toEqual([0, true]);
    q.resetWindow();
    expect(q.usage(0)).toBe(0);
  });

  it('cache: fixed hit rates and leading-prefix match', () => {
    const c = new MemoryCacheView([0.85, 0.62]);
    c.addBlocks(1, [7, 8, 9]);
    expect(c.getCacheHitRate(0)).toBe(0.85);
    expect(c.prefixMatch(1, { estimated_tokens: 1, prefix_blocks: [7, 8, 5, 9] })).toBe(0.5);
    expect(c.prefixMatch(0, { estimated_tokens: 1, prefix_blocks: [7] })).toBe(0);
  });
});
