import { describe, expect, it } from 'vitest';
import { at, attempt, modelSpec, setup } from './testkit.js';

describe('RequestModel: queueing', () => {
  it('serves max_concurrency at once, queues max_queue, rejects the rest (exact)', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 2, max_queue: 3 })]);
    const b = cluster.backend(0);
    const res = [0, 1, 2, 3, 4, 5, 6].map((i) => b.submit(attempt(i)));
    expect(res).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'queue_full',
      'queue_full',
    ]);
    expect(cluster.inService(0)).toBe(2);
    expect(cluster.queued(0)).toBe(3);
    expect(cluster.load(0)).toBe(2.5);
    engine.run();
    expect(host.done.map((d) => [d.id, d.at, d.queue_ms, d.e2e_ms])).toEqual([
      [0, 10, 0, 10],
      [1, 10, 0, 10],
      [2, 20, 10, 20],
      [3, 20, 10, 20],
      [4, 30, 20, 30],
    ]);
    const s = cluster.stats(0);
    expect([s.accepted, s.completed, s.queue_full, s.failed]).toEqual([5, 5, 2, 0]);
    // 5 attempts × 10 ms busy over 2 slots × 30 ms.
    expect(cluster.busySlotTime(0)).toBe(50);
    expect(cluster.slotTime(0)).toBe(60);
    expect(cluster.utilization(0)).toBeCloseTo(50 / 60, 12);
  });

  it('ttft_tpot: ttft sampled, then tpot × output_tokens; service: ttft = e2e', () => {
    const { engine, host, cluster } = setup([
      modelSpec({
        id: 'a',
        latency: {
          model: 'ttft_tpot',
          ttft: { dist: 'fixed', value: 100 },
          tpot: { dist: 'fixed', value: 10 },
        },
      }),
      modelSpec({ id: 'b', latency: { model: 'service', service: { dist: 'fixed', value: 40 } } }),
    ]);
    cluster.backend(0).submit(attempt(1, 100, 5));
    cluster.backend(0).submit(attempt(2, 100, 7));
    cluster.backend(1).submit(attempt(3, 100, 5));
    engine.run();
    expect(host.byId(1)).toMatchObject({
      kind: 'ok',
      ttft_ms: 100,
      e2e_ms: 150,
      queue_ms: 0,
      output_tokens: 5,
    });
    // Queued behind #1 for 150 ms.
    expect(host.byId(2)).toMatchObject({ ttft_ms: 250, e2e_ms: 320, queue_ms: 150, output_tokens: 7 });
    expect(host.byId(3)).toMatchObject({ ttft_ms: 40, e2e_ms: 40 });
  });

  it('capacity: scaling out starts queued work at once; scaling in lets running work finish', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 2 })]);
    const b = cluster.backend(0);
    for (let i = 0; i < 6; i++) b.submit(attempt(i));
    at(engine, 5, () => cluster.setCapacity(0, 4)); // #2, #3 start at 5
    at(engine, 6, () => cluster.setCapacity(0, 1)); // 4 running, none may start until < 1
    engine.run();
    const ends = host.done.map((d) => [d.id, d.at]);
    expect(ends).toEqual([
      [0, 10],
      [1, 10],
      [2, 15],
      [3, 15],
      [4, 25],
      [5, 35],
    ]);
  });
});

describe('RequestModel: health, latency factor, failures', () => {
  it('unhealthy: accepted, no slot, error after 5 ms; probe fails; degraded doubles times and probes pass', () => {
    const { engine, host, cluster } = setup([modelSpec({ health: 'unhealthy' })]);
    const b = cluster.backend(0);
    expect(cluster.probe(0)).toBe(false);
    expect(b.submit(attempt(1))).toBe('accepted');
    expect(b.submit(attempt(2))).toBe('accepted');
    expect(cluster.inService(0)).toBe(0);
    expect(cluster.inFlight(0)).toBe(2);
    engine.run();
    expect(host.done.map((d) => [d.id, d.kind, d.at, d.e2e_ms, d.detail])).toEqual([
      [1, 'error', 5, 5, 'unhealthy'],
      [2, 'error', 5, 5, 'unhealthy'],
    ]);
    expect(Number.isNaN(host.done[0].ttft_ms)).toBe(true);
    cluster.setHealth(0, 'degraded');
    expect(cluster.probe(0)).toBe(true);
    b.submit(attempt(3));
    engine.run();
    expect(host.byId(3)).toMatchObject({ kind: 'ok', e2e_ms: 20 });
    cluster.setHealth(0, 'healthy');
    cluster.setLatencyFactor(0, 3);
    b.submit(attempt(4));
    engine.run();
    expect(host.byId(4).e2e_ms).toBe(30);
    expect(cluster.stats(0).failed).toBe(2);
    expect(() => cluster.setLatencyFactor(0, 0)).toThrow(RangeError);
  });

  it('failure_rate: errors within binomial bounds, at ttft, without shifting latency draws', () => {
    const n = 20000;
    const p = 0.2;
    const lat = {
      model: 'ttft_tpot' as const,
      ttft: { dist: 'exponential' as const, mean: 50 },
      tpot: { dist: 'fixed' as const, value: 1 },
    };
    const run = (fr: number) => {
      const { engine, host, cluster } = setup(
        [modelSpec({ max_concurrency: n, failure_rate: fr, latency: lat })],
        7,
      );
      for (let i = 0; i < n; i++) cluster.backend(0).submit(attempt(i, 10, 10));
      engine.run();
      return host;
    };
    const failing = run(p);
    const clean = run(0);
    const failed = failing.done.filter((d) => d.kind === 'error');
    const sd = Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(failed.length / n - p)).toBeLessThan(4 * sd);
    // Each failed attempt ends at the ttft the clean run drew for the same id.
    const ttft = new Map(clean.done.map((d) => [d.id, d.ttft_ms]));
    for (const f of failed.slice(0, 200)) expect(f.e2e_ms).toBe(ttft.get(f.id));
    for (const o of failing.done.filter((d) => d.kind === 'ok').slice(0, 200)) {
      expect(o.ttft_ms).toBe(ttft.get(o.id));
    }
  });
});

describe('RequestModel: caches', () => {
  it('fixed: hits within binomial bounds; a hit serves 80% of the prompt and cuts ttft by 0.9 × 80%', () => {
    const n = 20000;
    const h = 0.3;
    const { engine, host, cluster } = setup([
      modelSpec({
        max_concurrency: n,
        cache: { kind: 'fixed', hit_rate: h },
        latency: {
          model: 'ttft_tpot',
          ttft: { dist: 'fixed', value: 100 },
          tpot: { dist: 'fixed', value: 1 },
        },
      }),
    ]);
    for (let i = 0; i < n; i++) cluster.backend(0).submit(attempt(i, 100, 10));
    engine.run();
    const hits = host.done.filter((d) => d.cached_tokens > 0);
    expect(Math.abs(hits.length / n - h)).toBeLessThan(4 * Math.sqrt((h * (1 - h)) / n));
    expect(hits[0].cached_tokens).toBe(80);
    expect(hits[0].ttft_ms).toBeCloseTo(100 * (1 - 0.9 * 0.8), 9);
    expect(hits[0].e2e_ms).toBeCloseTo(28 + 10, 9);
    const s = cluster.stats(0);
    expect(s.cached_tokens).toBe(hits.length * 80);
    expect(s.prompt_tokens).toBe(n * 100);
    // The EWMA tracks the hit rate (its own noise: sd ≈ sqrt(α/2 · h(1−h)) ≈ 0.046).
    expect(Math.abs(cluster.getCacheHitRate(0) - h)).toBeLessThan(0.2);
  });

  it('prefix: blocks are inserted after prefill (ttft); later attempts hit the leading blocks', () => {
    const { engine, host, cluster } = setup([
      modelSpec({
        max_concurrency: 4,
        cache: { kind: 'prefix', capacity_tokens: 160, block_tokens: 16 },
        latency: {
          model: 'ttft_tpot',
          ttft: { dist: 'fixed', value: 100 },
          tpot: { dist: 'fixed', value: 10 },
        },
      }),
    ]);
    const b = cluster.backend(0);
    const blocks = [1, 2, 3, 4];
    b.submit(attempt(1, 64, 10, { prefix_blocks: blocks }));
    at(engine, 50, () => b.submit(attempt(2, 64, 10, { prefix_blocks: blocks }))); // before #1's prefill ends
    at(engine, 100, () => {
      expect(cluster.prefixMatch(0, { estimated_tokens: 0, prefix_blocks: [1, 2, 9, 4] })).toBe(0.5);
    });
    at(engine, 150, () => b.submit(attempt(3, 80, 10, { prefix_blocks: [1, 2, 3, 7, 8] })));
    engine.run();
    expect(host.byId(1).cached_tokens).toBe(0);
    expect(host.byId(2).cached_tokens).toBe(0);
    expect(host.byId(3).cached_tokens).toBe(48);
    expect(host.byId(3).ttft_ms).toBeCloseTo(100 * (1 - 0.9 * (48 / 80)), 9);
    expect(host.byId(3).e2e_ms).toBeCloseTo(46 + 100, 9);
    expect(cluster.model(0).cache.lru!.order()).toEqual([1, 2, 3, 7, 8, 4]);
  });
});

describe('RequestModel: prefix cache with failures', () => {
  it('a failing attempt still inserts its blocks (prefill ran) and errors at its ttft', () => {
    const { engine, host, cluster } = setup([
      modelSpec({
        max_concurrency: 4,
        failure_rate: 1,
        cache: { kind: 'prefix', capacity_tokens: 1600, block_tokens: 16 },
        latency: {
          model: 'ttft_tpot',
          ttft: { dist: 'fixed', value: 100 },
          tpot: { dist: 'fixed', value: 10 },
        },
      }),
    ]);
    cluster.backend(0).submit(attempt(1, 64, 10, { prefix_blocks: [5, 6, 7, 8] }));
    engine.run();
    expect(host.byId(1)).toMatchObject({ kind: 'error', e2e_ms: 100, output_tokens: 0 });
    expect(cluster.prefixMatch(0, { estimated_tokens: 0, prefix_blocks: [5, 6, 7, 8] })).toBe(1);
    expect(cluster.inService(0)).toBe(0);
  });
});
