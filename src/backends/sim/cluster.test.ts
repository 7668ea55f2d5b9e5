import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../core/types.js';
import { BatchModel } from './batch-model.js';
import { RequestModel } from './request-model.js';
import { attempt, modelSpec, setup } from './testkit.js';

const lognormal = (id: string, extra: Partial<ModelSpec> = {}) =>
  modelSpec({
    id,
    max_concurrency: 4,
    latency: {
      model: 'ttft_tpot',
      ttft: { dist: 'lognormal', median: 100, p99: 400 },
      tpot: { dist: 'exponential', mean: 10 },
    },
    ...extra,
  });

function serveB(specs: ModelSpec[], seed = 5): number[][] {
  const { engine, host, cluster } = setup(specs, seed);
  const a = cluster.indexOf('a');
  const b = cluster.indexOf('b');
  for (let i = 0; i < 200; i++) {
    if (a >= 0) cluster.backend(a).submit(attempt(1000 + i, 50, 5));
    cluster.backend(b).submit(attempt(i, 50, 5));
  }
  engine.run();
  return host.done.filter((d) => d.id < 1000).map((d) => [d.id, d.ttft_ms, d.e2e_ms]);
}

describe('SimCluster', () => {
  it('indexes models in the given order and builds the right latency model for each', () => {
    const { cluster } = setup([
      modelSpec({ id: 'x' }),
      modelSpec({
        id: 'y',
        latency: { model: 'batching', prefill_per_token_ms: 1, decode_step_ms: 1, slowdown: 0, max_batch: 2 },
      }),
    ]);
    expect(cluster.size).toBe(2);
    expect([cluster.indexOf('x'), cluster.indexOf('y'), cluster.indexOf('z')]).toEqual([0, 1, -1]);
    expect(cluster.backend(1).modelId).toBe('y');
    expect(cluster.model(0)).toBeInstanceOf(RequestModel);
    expect(cluster.model(1)).toBeInstanceOf(BatchModel);
    expect(() => setup([modelSpec({ id: 'x' }), modelSpec({ id: 'x' })])).toThrow(/duplicate/);
  });

  it("draws each model's latencies from its own stream: other models and their failure rates change nothing", () => {
    const alone = serveB([lognormal('b')]);
    const second = serveB([lognormal('a'), lognormal('b')]);
    const failingNeighbour = serveB([lognormal('b'), lognormal('a', { failure_rate: 0.5 })]);
    expect(second).toEqual(alone);
    expect(failingNeighbour).toEqual(alone);
    expect(new Set(alone.map((r) => r[1])).size).toBeGreaterThan(150); // really random
    expect(serveB([lognormal('b')], 6)).not.toEqual(alone); // and seeded
  });

  it('exposes the views over every model', () => {
    const { cluster } = setup([
      modelSpec({ id: 'a', max_concurrency: 2, max_queue: 10 }),
      modelSpec({
        id: 'b',
        cache: { kind: 'fixed', hit_rate: 0.7 },
        quota: { tokens_per_minute: 1000, requests_per_minute: 100, initial_used: 0.25 },
      }),
    ]);
    for (let i = 0; i < 5; i++) cluster.backend(0).submit(attempt(i));
    expect([cluster.inService(0), cluster.queued(0), cluster.queueDepth(0), cluster.inFlight(0)]).toEqual([
      2, 3, 3, 5,
    ]);
    expect(cluster.load(0)).toBe(2.5);
    expect(cluster.load(1)).toBe(0);
    expect(cluster.getCacheHitRate(0)).toBe(0);
    expect(cluster.getCacheHitRate(1)).toBe(0.7); // the prior, before any lookup
    expect(cluster.usage(0)).toBe(0);
    expect(cluster.usage(1)).toBe(0.25);
    expect(cluster.checkQuota(1, 750)).toBe(true);
    expect(cluster.checkQuota(1, 751)).toBe(false);
    expect(cluster.checkQuota(0, 1e12)).toBe(true);
    expect(cluster.prefixMatch(1, { estimated_tokens: 1, prefix_blocks: [1, 2] })).toBe(0);
    cluster.setCapacity(0, 0);
    expect(cluster.load(0)).toBe(Number.POSITIVE_INFINITY);
    expect(cluster.health(1)).toBe('healthy');
  });

  it('says whether any model has a quota: none at first, one once a quota event sets it', () => {
    const { cluster } = setup([modelSpec({ id: 'a' }), modelSpec({ id: 'b' })]);
    expect(cluster.noQuotas()).toBe(true);
    cluster.setQuota(1, 1000, 10);
    expect(cluster.noQuotas()).toBe(false);
    expect(cluster.checkQuota(1, 1001)).toBe(false);
    cluster.setQuota(1, 2000, 10); // new limits for the same quota
    expect(cluster.noQuotas()).toBe(false);
    const withQuota = setup([
      modelSpec({ id: 'a', quota: { tokens_per_minute: 1000, requests_per_minute: 100, initial_used: 0 } }),
    ]);
    expect(withQuota.cluster.noQuotas()).toBe(false);
  });
});
