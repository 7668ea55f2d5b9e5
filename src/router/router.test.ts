import { describe, expect, it } from 'vitest';
import { ManualClock } from '../engine/clock.js';
import { SeededRng } from '../engine/rng.js';
import { STRATEGIES as strategies } from '../strategies/index.js';
import { MemoryCacheView, MemoryLoadView, MemoryRegistry, modelInfo } from './memory-views.js';
import { Router } from './router.js';
import { ROUTE_TIMING_EVERY } from './timing.js';
import type { QuotaView } from './views.js';

function make(config = {}, ids = ['a', 'b', 'c']) {
  const registry = new MemoryRegistry(ids.map((id) => modelInfo(id, { max_concurrency: 4 })));
  const clock = new ManualClock();
  let t = 0;
  const router = new Router(config, {
    registry,
    strategies,
    clock,
    rng: new SeededRng(9),
    stopwatch: () => (t += 0.001), // 1 µs per reading pair
  });
  return { registry, clock, router };
}

describe('Router', () => {
  it('reuses one decision object', () => {
    const { router } = make();
    const d1 = router.route({ estimated_tokens: 1 });
    const d2 = router.route({ estimated_tokens: 1 });
    expect(d1).toBe(d2);
  });

  it('feeds latency_based from done(): EWMA with alpha 0.2 decides', () => {
    const { router } = make({ strategy: 'latency_based' });
    for (const [i, ms] of [
      [0, 300],
      [1, 100],
      [2, 200],
    ]) {
      router.done({ estimated_tokens: 1, attempts: 1 }, { model_index: i, kind: 'ok', latency_ms: ms });
    }
    expect(router.route({ estimated_tokens: 1 }).model_id).toBe('b');
    // b: 100 -> 100 + 0.2 * (1100 - 100) = 300 > c's 200
    router.done({ estimated_tokens: 1, attempts: 1 }, { model_index: 1, kind: 'ok', latency_ms: 1100 });
    const d = router.route({ estimated_tokens: 1 });
    expect([d.model_id, d.total_score]).toEqual(['c', 1 / 1.2]);
  });

  it('rebuilds its tables when the registry changes, keeping affinity by model id', () => {
    const { registry, router } = make({ strategy: 'round_robin', session_affinity: true });
    router.route({ estimated_tokens: 1, session_id: 's' }); // pins to a
    registry.add(modelInfo('z'), 'healthy');
    registry.remove('a');
    const d = router.route({ estimated_tokens: 1, session_id: 's' });
    expect(['b', 'c', 'z']).toContain(d.model_id);
    const counts = new Set<string>();
    for (let k = 0; k < 6; k++) counts.add(router.route({ estimated_tokens: 1 }).model_id);
    expect([...counts].sort()).toEqual(['b', 'c', 'z']);
  });

  it('records routing time when given a stopwatch, timing one call in ROUTE_TIMING_EVERY', () => {
    const { router } = make();
    for (let k = 0; k < 63; k++) router.route({ estimated_tokens: 1 });
    expect(router.stats().routing_time_us).toBeNull();
    expect(router.formatStatus()).toContain('Avg routing time: not measured');
    for (let k = 63; k < 100; k++) router.route({ estimated_tokens: 1 });
    const t = router.stats().routing_time_us;
    expect(t?.mean).toBeCloseTo(1, 6);
    expect(t?.p99).toBeGreaterThanOrEqual(1);
    expect(t?.p99).toBeLessThan(1.1);
    // Call 64 of 100 was timed; the total is scaled up to all 100 calls of 1 µs.
    expect(ROUTE_TIMING_EVERY).toBe(64);
    expect(t?.sampled).toBe(1);
    expect(t?.every).toBe(64);
    expect(t?.total_ms).toBeCloseTo(0.1, 9);
    expect(router.formatStatus()).toContain('Avg routing time: 1.00µs');
  });

  it('without a load view, least_loaded says it round-robins', () => {
    const { router } = make();
    expect(router.route({ estimated_tokens: 1 }).reason).toBe(
      'least_loaded: no load view, round-robin instead',
    );
  });

  it('the load threshold admits queueing when set above 1', () => {
    const registry = new MemoryRegistry([modelInfo('a', { max_concurrency: 2 })]);
    const load = MemoryLoadView.forRegistry(registry);
    load.set(0, 2, 2); // load 2
    const router = new Router(
      { max_load_threshold: 3 },
      { registry, strategies, load, clock: new ManualClock(), rng: new SeededRng(1) },
    );
    const d = router.route({ estimated_tokens: 1 });
    expect([d.model_id, d.fallback_used, d.load_score]).toEqual(['a', false, 0]);
  });

  it('rebuilds cache_aware when a setting it is built from changes (min_cache_hit_rate)', () => {
    const registry = new MemoryRegistry([modelInfo('a'), modelInfo('b')]);
    const cache = new MemoryCacheView([0.2, 0.1]);
    const load = MemoryLoadView.forRegistry(registry);
    load.set(0, 8, 0); // a busier than b
    const router = new Router(
      { strategy: 'cache_aware', strategy_options: { cache_weight: 0.5 } },
      { registry, strategies, load, cache, clock: new ManualClock(), rng: new SeededRng(1) },
    );
    // no model reaches 0.3: best of the rest
    expect(router.route({ estimated_tokens: 1 }).reason).toContain('no model reaches min_cache_hit_rate');
    router.setConfig({ min_cache_hit_rate: 0.15 }); // only a reaches it now
    const d = router.route({ estimated_tokens: 1 });
    expect([d.model_id, d.reason]).toEqual(['a', 'cache_aware: best cache hit rate net of load']);
  });

  it('asks the quota view per model only while some model has a quota (noQuotas)', () => {
    let none = true;
    let checks = 0;
    const quota: QuotaView = {
      checkQuota: (i) => {
        checks++;
        return i !== 0; // model a has no room
      },
      usage: () => 0,
      noQuotas: () => none,
    };
    const registry = new MemoryRegistry(['a', 'b'].map((id) => modelInfo(id)));
    const router = new Router(
      { strategy: 'round_robin' },
      { registry, strategies, clock: new ManualClock(), rng: new SeededRng(1), quota },
    );
    const picks = [0, 1, 2, 3].map(() => router.route({ estimated_tokens: 10 }).model_id);
    expect([picks, checks]).toEqual([['a', 'b', 'a', 'b'], 0]);
    none = false;
    const later = [0, 1].map(() => router.route({ estimated_tokens: 10 }).model_id);
    expect([later, checks]).toEqual([['b', 'b'], 4]);
  });

  it('filters out a model whose context is too short, and only that one', () => {
    const registry = new MemoryRegistry([modelInfo('short', { context_length: 100 }), modelInfo('long')]);
    const router = new Router(
      { strategy: 'round_robin' },
      { registry, strategies, clock: new ManualClock(), rng: new SeededRng(1) },
    );
    expect([0, 1, 2].map(() => router.route({ estimated_tokens: 101 }).model_id)).toEqual([
      'long',
      'long',
      'long',
    ]);
    expect(router.route({ estimated_tokens: 100 }).rejected).toBe(false);
  });

  it('filters by health as it changes: all healthy, then one unhealthy, then healthy again', () => {
    const registry = new MemoryRegistry(['a', 'b'].map((id) => modelInfo(id)));
    const router = new Router(
      { strategy: 'round_robin' },
      { registry, strategies, clock: new ManualClock(), rng: new SeededRng(1) },
    );
    const four = () => [0, 1, 2, 3].map(() => router.route({ estimated_tokens: 1 }).model_id);
    expect(four()).toEqual(['a', 'b', 'a', 'b']);
    registry.updateHealthStatus('b', 'unhealthy');
    expect(four()).toEqual(['a', 'a', 'a', 'a']);
    registry.updateHealthStatus('b', 'healthy');
    expect(new Set(four())).toEqual(new Set(['a', 'b']));
  });
});
