import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../strategies/index.js';
import { DEFAULT_ROUTING_CONFIG } from './config.js';
import { RoutingConfigError } from './errors.js';
import { resolveRoutingConfig } from './validate.js';

describe('resolveRoutingConfig', () => {
  it('fills every default', () => {
    expect(resolveRoutingConfig({}, STRATEGIES)).toEqual(DEFAULT_ROUTING_CONFIG);
    const c = resolveRoutingConfig(
      { strategy: 'cache_aware', ab_test: { model_a: 'x', model_b: 'y', split: 0.7 } },
      STRATEGIES,
    );
    expect(c.strategy).toBe('cache_aware');
    expect(c.max_retries).toBe(3);
    expect(c.ab_test).toEqual({ model_a: 'x', model_b: 'y', split: 0.7 });
  });

  it.each([
    [
      { strategy: 'nope' },
      'strategy',
      /must be one of round_robin, least_loaded, .*cost_based, kv_aware; got "nope"/,
    ],
    [{ ab_test: { model_a: 'a', model_b: 'b', split: -0.1 } }, 'ab_test.split', /in 0\.\.1, got -0\.1/],
    [
      { ab_test: { model_a: 'a', model_b: 'q', split: 0.5 } },
      'ab_test.model_b',
      /unknown model "q" \(known: a, b\)/,
    ],
    [
      { ab_test: { model_a: 'a', model_b: 'b', ratio: 1 } },
      'ab_test.ratio',
      /allowed: model_a, model_b, split/,
    ],
    [{ max_load_threshold: -0.5 }, 'max_load_threshold', /must be a number >= 0, got -0\.5/],
    [{ min_cache_hit_rate: 2 }, 'min_cache_hit_rate', /in 0\.\.1, got 2/],
    [{ affinity_timeout_ms: -1 }, 'affinity_timeout_ms', />= 0/],
    [{ max_retries: -1 }, 'max_retries', /an integer >= 0, got -1/],
    [{ retry_delay_ms: -100 }, 'retry_delay_ms', />= 0/],
    [{ retry_backoff: 0.5 }, 'retry_backoff', />= 1/],
    [{ latency_ewma_alpha: 0 }, 'latency_ewma_alpha', /must be a number in \(0, 1\], got 0/],
    [{ health_checks: 'yes' }, 'health_checks', /true or false/],
    [{ stratgy: 'random' }, 'stratgy', /is not a routing option/],
    [
      { strategy: 'cache_aware', strategy_options: { cache_weight: 3 } },
      'strategy_options.cache_weight',
      /^cache_aware:/,
    ],
  ])('rejects %j naming the field', (input, field, message) => {
    let err: unknown;
    try {
      resolveRoutingConfig(input as never, STRATEGIES, ['a', 'b']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RoutingConfigError);
    expect((err as RoutingConfigError).field).toBe(field);
    expect((err as Error).message).toMatch(message);
  });

  it('admits a load threshold above 1 (queueing allowed) and Infinity (filter off)', () => {
    expect(resolveRoutingConfig({ max_load_threshold: 4 }, STRATEGIES).max_load_threshold).toBe(4);
    expect(
      resolveRoutingConfig({ max_load_threshold: Number.POSITIVE_INFINITY }, STRATEGIES).max_load_threshold,
    ).toBe(Number.POSITIVE_INFINITY);
  });
});
