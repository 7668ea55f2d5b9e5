/**
 * The original router's integration scenarios and the behavioural checks, driven through the
 * public API with seeded randomness and in-memory views. Bounds are stated next to each assertion.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.js';
import { SeededRng } from '../src/engine/rng.js';
import {
  type Health,
  MemoryCacheView,
  MemoryLoadView,
  MemoryQuotaView,
  MemoryRegistry,
  modelInfo,
  type RouteRequest,
  Router,
  type RoutingConfig,
} from '../src/router/index.js';
import { STRATEGIES } from '../src/strategies/index.js';

const IDS = ['A', 'B', 'C', 'D'];

function setup(n: number, opts: { health?: Health[]; seed?: number } = {}) {
  const registry = new MemoryRegistry(
    IDS.slice(0, n).map((id) => modelInfo(id, { max_concurrency: 10 })),
    opts.health,
  );
  const clock = new ManualClock();
  const load = MemoryLoadView.forRegistry(registry);
  return { registry, strategies: STRATEGIES, clock, load, rng: new SeededRng(opts.seed ?? 42) };
}

/**
 * Drives `requests` routes where each routed request holds a slot on its model until `hold` later routes
 * have been made (a fixed service time in routes), so load feedback shapes the split. Returns counts.
 */
function drive(router: Router, load: MemoryLoadView, n: number, requests: number, hold: number): number[] {
  const counts = new Array<number>(n).fill(0);
  const ring = new Int32Array(hold).fill(-1);
  const req: RouteRequest = { estimated_tokens: 100 };
  for (let k = 0; k < requests; k++) {
    const slot = k % hold;
    if (ring[slot] >= 0) load.release(ring[slot]);
    req.attempts = 0;
    const d = router.route(req);
    expect(d.rejected).toBe(false);
    counts[d.model_index]++;
    load.acquire(d.model_index);
    ring[slot] = d.model_index;
  }
  return counts;
}

const binomialBound = (n: number, p: number, sigmas: number) => sigmas * Math.sqrt(n * p * (1 - p));

describe('integration scenarios of the original router', () => {
  it('1. cache-aware, hit rates A 0.85 B 0.62 C 0.91, 1,000 requests: C most, B least', () => {
    const { registry, strategies, clock, load, rng } = setup(3);
    const cache = new MemoryCacheView([0.85, 0.62, 0.91]);
    const router = new Router({ strategy: 'cache_aware' }, { registry, strategies, clock, rng, load, cache });
    // seed 42 gives C 584, A 416, B 0 (the original: C 827, A 145, B 28); C fills to the 0.9 load threshold
    // and spills to A, whose cache term beats B's unless A is 0.54 (5.4 slots) busier than B.
    const [a, b, c] = drive(router, load, 3, 1000, 12);
    expect(a + b + c).toBe(1000);
    expect(c).toBeGreaterThan(a);
    expect(a).toBeGreaterThan(b);
    expect(c).toBeGreaterThan(500);
    expect(router.stats().strategy_counts.cache_aware).toBe(1000);
  });

  it('2. quota-aware, usage A 0.95 B 0.45 C 0.78, 500 requests: A avoided (< 5%), B the majority', () => {
    const { registry, strategies, clock, load, rng } = setup(3);
    const quota = new MemoryQuotaView([1e6, 1e6, 1e6], [0.95, 0.45, 0.78]);
    const router = new Router({ strategy: 'quota_aware' }, { registry, strategies, clock, rng, load, quota });
    // seed 42 gives A 0, B 418, C 82 (the original: A 5, B 447, C 48)
    const [a, b, c] = drive(router, load, 3, 500, 12);
    expect(a).toBeLessThan(25);
    expect(b).toBeGreaterThan(250);
    expect(c).toBeGreaterThan(a);
  });

  it('3. health: A healthy, B unhealthy, C healthy, D degraded, 200 requests: B and D none, A/C ~50/50', () => {
    const { registry, strategies, clock, rng } = setup(4, {
      health: ['healthy', 'unhealthy', 'healthy', 'degraded'],
    });
    const router = new Router({ strategy: 'random' }, { registry, strategies, clock, rng });
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 200; k++) counts[router.route({ estimated_tokens: 10 }).model_index]++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    expect(Math.abs(counts[0] - 100)).toBeLessThan(binomialBound(200, 0.5, 4)); // ±28
    expect(counts[0] + counts[2]).toBe(200);
  });

  it('4. affinity: ten requests of one session on one model; after the timeout it expires and re-routes', () => {
    const { registry, strategies, clock, load, rng } = setup(3);
    const router = new Router(
      { strategy: 'affinity_based', affinity_timeout_ms: 300_000 },
      { registry, strategies, clock, rng, load },
    );
    const first = router.route({ estimated_tokens: 10, session_id: 'user123' }).model_index;
    load.set(first, 5, 0); // the pinned model gets busier: affinity must still hold
    for (let k = 1; k < 10; k++) {
      clock.advance(1000);
      const d = router.route({ estimated_tokens: 10, session_id: 'user123' });
      expect(d.model_index).toBe(first);
      expect(d.source).toBe('affinity');
    }
    clock.advance(300_001);
    const d = router.route({ estimated_tokens: 10, session_id: 'user123' });
    expect(d.source).toBe('affinity_based');
    expect(d.model_index).not.toBe(first); // routed afresh: the least-loaded model, not the busy old pin
    expect(router.stats().affinity).toEqual({ hits: 9, misses: 2, stale_hits: 1, expired: 1, entries: 1 });
  });
});

describe('router behaviour', () => {
  it('round-robin is exactly even', () => {
    const { registry, strategies, clock, rng } = setup(4);
    const router = new Router({ strategy: 'round_robin' }, { registry, strategies, clock, rng });
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 1000; k++) counts[router.route({ estimated_tokens: 1 }).model_index]++;
    expect(counts).toEqual([250, 250, 250, 250]);
  });

  it('weighted random matches weights 1:2:3:4 (chi-square, 3 dof, alpha 0.001: critical value 16.27)', () => {
    const registry = new MemoryRegistry(IDS.map((id, i) => modelInfo(id, { weight: i + 1 })));
    const router = new Router(
      { strategy: 'weighted_random' },
      { registry, strategies: STRATEGIES, clock: new ManualClock(), rng: new SeededRng(3) },
    );
    const n = 10_000;
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < n; k++) counts[router.route({ estimated_tokens: 1 }).model_index]++;
    const chi2 = counts.reduce((acc, o, i) => acc + (o - (n * (i + 1)) / 10) ** 2 / ((n * (i + 1)) / 10), 0);
    expect(chi2).toBeLessThan(16.27);
  });

  it('a 70/30 A/B split over 1,000 requests is within 4 sigma (±58) of 700', () => {
    const { registry, strategies, clock, load, rng } = setup(3);
    const router = new Router(
      { ab_test: { model_a: 'A', model_b: 'C', split: 0.7 } },
      { registry, strategies, clock, rng, load },
    );
    const counts = [0, 0, 0];
    for (let k = 0; k < 1000; k++) counts[router.route({ estimated_tokens: 1 }).model_index]++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[0] - 700)).toBeLessThan(binomialBound(1000, 0.7, 4));
    const { ab, strategy_counts } = router.stats();
    expect(ab).toEqual({ a: counts[0], b: counts[2] });
    expect(strategy_counts.ab_test).toBe(1000);
  });

  it('retries: another model each time, backoff 100, 200, 400, then gives up after max_retries', () => {
    const { registry, strategies, clock, rng } = setup(4);
    const router = new Router({ strategy: 'round_robin' }, { registry, strategies, clock, rng });
    const req: RouteRequest = { estimated_tokens: 10 };
    const seen: number[] = [];
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const d = router.route(req);
      expect(d.attempted_models).toBe(attempt);
      seen.push(d.model_index);
      delays.push(router.done(req, { model_index: d.model_index, kind: 'error', latency_ms: 5 }));
    }
    expect(new Set(seen).size).toBe(4);
    expect(delays).toEqual([100, 200, 400, -1]);
    const s = router.stats();
    expect([s.total_routes, s.failed, s.retries, s.successful]).toEqual([4, 4, 3, 0]);
  });

  it('a retry returns to a tried model only when no other model is eligible', () => {
    const { registry, strategies, clock, rng } = setup(2, { health: ['healthy', 'unhealthy'] });
    const router = new Router(
      { strategy: 'round_robin', retry_backoff: 3 },
      { registry, strategies, clock, rng },
    );
    const req: RouteRequest = { estimated_tokens: 10 };
    expect(router.route(req).model_index).toBe(0);
    expect(router.done(req, { model_index: 0, kind: 'timeout', latency_ms: 30_000 })).toBe(100);
    expect(router.route(req).model_index).toBe(0);
    expect(router.done(req, { model_index: 0, kind: 'rate_limited', latency_ms: Number.NaN })).toBe(300);
    const d = router.route(req);
    expect(router.done(req, { model_index: d.model_index, kind: 'ok', latency_ms: 20 })).toBe(-1);
    expect(router.stats().successful).toBe(1);
  });

  it('fallback relaxes load, then degraded, then quota, never unhealthy, and counts it', () => {
    const { registry, strategies, clock, load, rng } = setup(4, {
      health: ['healthy', 'degraded', 'unhealthy', 'healthy'],
    });
    const quota = new MemoryQuotaView([100, 100, 100, 100], [1, 0, 0, 0]); // A has no quota room
    const router = new Router(
      { strategy: 'least_loaded' },
      { registry, strategies, clock, rng, load, quota },
    );
    load.set(3, 10, 5); // D overloaded (1.5 > 0.9)
    let d = router.route({ estimated_tokens: 10 });
    expect([d.model_id, d.fallback_used]).toEqual(['D', true]); // load relaxed first
    expect(d.reason).toMatch(/^fallback \(load threshold relaxed\)/);
    registry.updateHealthStatus('D', 'unhealthy');
    d = router.route({ estimated_tokens: 10 });
    expect([d.model_id, d.health_score]).toEqual(['B', 0.5]); // then degraded
    registry.updateHealthStatus('B', 'unhealthy');
    d = router.route({ estimated_tokens: 10 });
    expect([d.model_id, d.quota_score]).toEqual(['A', 0]); // then quota
    registry.updateHealthStatus('A', 'unhealthy');
    d = router.route({ estimated_tokens: 10 });
    expect(d.rejected).toBe(true);
    expect(d.model_index).toBe(-1);
    expect(d.reason).toContain('unhealthy');
    const s = router.stats();
    expect([s.fallbacks, s.rejected, s.total_routes]).toEqual([3, 1, 4]);
  });

  it('context length and capabilities are never relaxed; the rejection names them', () => {
    const registry = new MemoryRegistry([
      modelInfo('small', { context_length: 4096, capabilities: ['code'] }),
      modelInfo('big', { context_length: 131072 }),
    ]);
    const router = new Router(
      {},
      { registry, strategies: STRATEGIES, clock: new ManualClock(), rng: new SeededRng(1) },
    );
    expect(router.route({ estimated_tokens: 8000 }).model_id).toBe('big');
    expect(router.route({ estimated_tokens: 100, capabilities: ['code'] }).model_id).toBe('small');
    const d = router.route({ estimated_tokens: 8000, capabilities: ['code'] });
    expect(d.rejected).toBe(true);
    expect(d.reason).toBe(
      'rejected: no eligible model (filtered out by: context length too short, missing capability)',
    );
  });

  it('an affinity pinned to a model that turns unhealthy is re-routed and re-pinned', () => {
    const { registry, strategies, clock, load, rng } = setup(3);
    const router = new Router(
      { strategy: 'least_loaded', session_affinity: true },
      { registry, strategies, clock, rng, load },
    );
    const first = router.route({ estimated_tokens: 10, session_id: 's' }).model_index;
    registry.updateHealthStatus(IDS[first], 'unhealthy');
    const second = router.route({ estimated_tokens: 10, session_id: 's' });
    expect(second.model_index).not.toBe(first);
    expect(second.source).toBe('least_loaded');
    registry.updateHealthStatus(IDS[first], 'healthy');
    const third = router.route({ estimated_tokens: 10, session_id: 's' });
    expect([third.model_index, third.source]).toEqual([second.model_index, 'affinity']);
  });

  it('a preferred model wins when eligible and is ignored when not', () => {
    const { registry, strategies, clock, rng } = setup(3, { health: ['healthy', 'healthy', 'unhealthy'] });
    const router = new Router({ strategy: 'round_robin' }, { registry, strategies, clock, rng });
    expect(router.route({ estimated_tokens: 1, preferred_model: 'B' }).source).toBe('preferred');
    expect(router.route({ estimated_tokens: 1, preferred_model: 'C' }).model_id).not.toBe('C');
  });

  it('setConfig switches the strategy live and validates', () => {
    const { registry, strategies, clock, load, rng } = setup(3);
    const router = new Router({ strategy: 'round_robin' }, { registry, strategies, clock, rng, load });
    load.set(0, 5);
    load.set(1, 1);
    load.set(2, 3);
    router.route({ estimated_tokens: 1 });
    router.setConfig({ strategy: 'least_loaded' });
    expect(router.route({ estimated_tokens: 1 }).model_id).toBe('B');
    expect(() => router.setConfig({ max_load_threshold: -1 })).toThrow(/max_load_threshold/);
    expect(router.getConfig().strategy).toBe('least_loaded');
    expect(router.stats().strategy_counts).toEqual({ round_robin: 1, least_loaded: 1 });
  });

  it('bad config fails at construction, naming the field and what is allowed', () => {
    const { registry, strategies, clock, rng } = setup(2);
    const make = (c: Partial<RoutingConfig>) => () => new Router(c, { registry, strategies, clock, rng });
    expect(make({ strategy: 'fastest' as never })).toThrow(
      /^strategy must be one of round_robin, least_loaded/,
    );
    expect(make({ ab_test: { model_a: 'A', model_b: 'Z', split: 0.5 } })).toThrow(
      /^ab_test\.model_b names unknown model "Z" \(known: A, B\)/,
    );
    expect(make({ ab_test: { model_a: 'A', model_b: 'B', split: 1.2 } })).toThrow(
      /^ab_test\.split must be a number in 0\.\.1, got 1\.2/,
    );
    expect(make({ affinity_timeout_ms: -5 })).toThrow(/^affinity_timeout_ms must be a number >= 0/);
    expect(make({ max_retries: 1.5 })).toThrow(/^max_retries must be an integer >= 0/);
    expect(make({ strategy: 'weighted_score', strategy_options: { weights: { load: -1 } } })).toThrow(
      /^weighted_score: strategy_options\.weights\.load/,
    );
  });

  it('formats the status block with thousands separators', () => {
    const { registry, strategies, clock, rng } = setup(2);
    const router = new Router({ strategy: 'round_robin' }, { registry, strategies, clock, rng });
    const req: RouteRequest = { estimated_tokens: 1 };
    for (let k = 0; k < 1234; k++) {
      req.attempts = 0;
      const d = router.route(req);
      router.done(req, { model_index: d.model_index, kind: 'ok', latency_ms: 1 });
    }
    const text = router.formatStatus();
    expect(text).toContain('Request Router Status');
    expect(text).toContain('Total routes: 1,234');
    expect(text).toContain('  round_robin: 1,234');
    expect(text).toContain('Avg routing time: not measured');
  });
});
