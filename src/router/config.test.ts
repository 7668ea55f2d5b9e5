import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../strategies/index.js';
import { DEFAULT_ROUTING_CONFIG, ROUTING_SETTINGS, routerKeyDocs } from './config.js';

describe('ROUTING_SETTINGS', () => {
  it('gives every field a default that passes its own check and schema', () => {
    const ctx = { strategyNames: Object.keys(STRATEGIES) };
    for (const s of ROUTING_SETTINGS) {
      expect(s.resolve(s.default, ctx)).toEqual(s.default);
      expect(s.schema.safeParse(s.default).success).toBe(true);
    }
    expect(Object.keys(DEFAULT_ROUTING_CONFIG)).toEqual(ROUTING_SETTINGS.map((s) => s.field));
  });

  it('names duration keys without _ms and writes their defaults as durations', () => {
    const docs = Object.fromEntries(routerKeyDocs().map((d) => [d.key, d.default]));
    expect(docs).toMatchObject({ affinity_timeout: '5m', retry_delay: '100ms', strategy: 'least_loaded' });
    expect(routerKeyDocs().map((d) => d.key)).toEqual([
      'strategy',
      'strategy_options',
      'health_checks',
      'quota_checks',
      'cache_optimization',
      'max_load_threshold',
      'min_cache_hit_rate',
      'session_affinity',
      'affinity_timeout',
      'ab_test',
      'max_retries',
      'retry_delay',
      'retry_backoff',
      'latency_ewma_alpha',
      'request_timeout',
      'retry_budget',
      'retry_budget_window',
    ]);
  });
});
