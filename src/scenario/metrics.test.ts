import { describe, expect, it } from 'vitest';
import { checkMetric, ENGINE_METRICS, GLOBAL_METRICS, MODEL_METRICS } from './metrics.js';

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
    expect(GLOBAL_METRICS).toHaveLength(3 + 9 + 4 * 6 + 2 + 4 + 5 + 2 + 13 + 2);
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

describe('engine and stage metrics for expect:', () => {
  const ids = ['vllm-a', 'plain'];
  const scope = { engineIds: ['vllm-a'], stages: 2 } as const;
  it('names each engine figure of an engine model, and none of a model without engine:', () => {
    expect(ENGINE_METRICS).toHaveLength(5);
    for (const m of ENGINE_METRICS)
      expect(checkMetric(`models.vllm-a.${m}`, ids, 0, scope)).toEqual({ ok: true });
    const plain = checkMetric('models.plain.engine.steps', ids, 0, scope);
    expect(plain).toMatchObject({ ok: false, message: expect.stringContaining('has no `engine:` block') });
    expect(checkMetric('models.vllm-a.engine.kv_blok', ids, 0, scope)).toMatchObject({
      ok: false,
      suggestion: 'did you mean `models.vllm-a.engine.kv_blocks`?',
    });
  });
  it('names stages.<n>.* within the stage count, and none without stages', () => {
    expect(checkMetric('stages.1.e2e_ms.p99', ids, 0, scope)).toEqual({ ok: true });
    expect(checkMetric('stages.0.failed', ids, 0, scope)).toEqual({ ok: true });
    expect(checkMetric('stages.2.e2e_ms.p99', ids, 0, scope)).toEqual({
      ok: false,
      message: '`stages.2.e2e_ms.p99`: no stage 2; n from 0 to 1 (the profile has 2 stages)',
    });
    // Before the profile is read the count is unknown: any index passes, a bad leaf does not.
    expect(checkMetric('stages.7.ttft_ms.mean', ids, 0, { stages: 'some' })).toEqual({ ok: true });
    expect(checkMetric('stages.x.ttft_ms.mean', ids, 0, { stages: 'some' })).toMatchObject({ ok: false });
    expect(checkMetric('stages.0.ttft_ms.mean', ids)).toMatchObject({
      ok: false,
      message: expect.stringContaining('has no load stages'),
    });
  });
});
