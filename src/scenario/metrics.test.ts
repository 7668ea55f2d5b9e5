import { describe, expect, it } from 'vitest';
import { checkMetric, GLOBAL_METRICS, MODEL_METRICS } from './metrics.js';

describe('report metric names for expect:', () => {
  const ids = ['llama-70b', 'qwen2.5-72b'];
  it('accepts the report leaves, per-model ones with dotted ids', () => {
    for (const m of [
      'requests.failed',
      'latency.e2e_ms.p99',
      'routing.fallbacks',
      'balance.jain_index',
      'routing.affinity.hits',
      'routing.strategy_counts.cache_aware',
    ]) {
      expect(checkMetric(m, ids)).toEqual({ ok: true });
    }
    expect(checkMetric('models.qwen2.5-72b.share', ids)).toEqual({ ok: true });
    expect(checkMetric('models.llama-70b.e2e_ms.p90', ids)).toEqual({ ok: true });
    expect(GLOBAL_METRICS).toHaveLength(3 + 9 + 4 * 6 + 2 + 3 + 4 + 2 + 12 + 2);
    expect(MODEL_METRICS).toHaveLength(9 + 3 * 6);
  });
  it('explains what is wrong and suggests the closest name', () => {
    expect(checkMetric('models.llama-70b.shares', ids)).toEqual({
      ok: false,
      message: '`models.llama-70b.shares` is not a report metric',
      suggestion: 'did you mean `models.llama-70b.share`?',
    });
    expect(checkMetric('requests.faild', ids)).toMatchObject({
      suggestion: 'did you mean `requests.failed`?',
    });
    expect(checkMetric('throughput', ids)).toMatchObject({
      ok: false,
      suggestion: 'e.g. requests.failed, latency.e2e_ms.p99, models.<id>.share',
    });
  });
});
