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
    expect(GLOBAL_METRICS).toHaveLength(3 + 9 + 4 * 6 + 2 + 4 + 5 + 2 + 12 + 2);
    expect(checkMetric('routing.affinity.stale_hits', ids)).toEqual({ ok: true });
    expect(checkMetric('models.llama-70b.failed_attempts', ids)).toEqual({ ok: true });
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
    // The per-model names that counted attempts under request names point at what they became.
    expect(checkMetric('models.qwen2.5-72b.requests', ids)).toEqual({
      ok: false,
      message:
        '`models.qwen2.5-72b.requests` was renamed: per-model counts count attempts (a retried request is an attempt on each model it tried), and are named so',
      suggestion: 'use `models.qwen2.5-72b.attempts`; for requests, use `requests.total`',
    });
    expect(checkMetric('models.llama-70b.failed', ids)).toMatchObject({
      suggestion: 'use `models.llama-70b.failed_attempts`; for requests, use `requests.failed`',
    });
    expect(checkMetric('models.llama-70b.rejected', ids)).toMatchObject({
      suggestion: 'use `models.llama-70b.refused_attempts`; for requests, use `requests.rejected`',
    });
    expect(checkMetric('throughput', ids)).toMatchObject({
      ok: false,
      suggestion: 'e.g. requests.failed, latency.e2e_ms.p99, models.<id>.share',
    });
  });
});
