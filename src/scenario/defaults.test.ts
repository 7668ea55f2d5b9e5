import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_CONFIG } from '../router/config.js';
import { loadScenario } from './load.js';
import type { Scenario } from './types.js';

/** The smallest valid scenario: every other value is a default. */
function minimal(): Scenario {
  const r = loadScenario('duration: 1m\nmodels:\n  - id: a\n', '');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

describe('scenario defaults', () => {
  const s = minimal();

  it('fills the top level', () => {
    expect(s.name).toBe('scenario');
    expect(s.file).toBe('');
    expect(s.seed).toBe(1);
    expect(s.horizon_ms).toBe(60_000);
    expect(s.timeline_interval_ms).toBe(1000);
    expect(s.events).toEqual([]);
    expect(s.expect).toEqual([]);
    expect(s.variants).toEqual([]);
  });

  it('takes router defaults from DEFAULT_ROUTING_CONFIG, plus signals, probes and outlier detection', () => {
    const { signals, probes, outlier_detection, ...routing } = s.router;
    expect(routing).toEqual({ ...DEFAULT_ROUTING_CONFIG });
    expect(routing.strategy).toBe('least_loaded');
    expect(routing.affinity_timeout_ms).toBe(300_000);
    expect(routing.retry_delay_ms).toBe(100);
    expect(signals).toEqual({ refresh_ms: 0 });
    expect(probes).toEqual({ interval_ms: 5000, unhealthy_after: 3, healthy_after: 2 });
    expect(outlier_detection).toEqual({
      consecutive_failures: 5,
      cooldown_ms: 30_000,
      max_ejection_percent: 100,
    });
  });

  it('fills every model field', () => {
    expect(s.models).toEqual([
      {
        id: 'a',
        backend: 'sim',
        max_concurrency: 16,
        max_queue: 256,
        latency: {
          model: 'ttft_tpot',
          ttft: { dist: 'fixed', value: 200 },
          tpot: { dist: 'fixed', value: 20 },
        },
        cache: { kind: 'none' },
        quota: null,
        health: 'healthy',
        failure_rate: 0,
        weight: 1,
        cost_per_1k_tokens: 0,
        context_length: Number.POSITIVE_INFINITY,
        capabilities: [],
        gguf: null,
      },
    ]);
  });

  it('fills synthetic traffic', () => {
    expect(s.traffic).toEqual({
      kind: 'synthetic',
      arrivals: { process: 'poisson', rate: 10, params: {} },
      requests: Number.POSITIVE_INFINITY,
      prompt_tokens: { dist: 'lognormal', median: 512, p99: 4096 },
      output_tokens: { dist: 'exponential', mean: 256 },
      sessions: null,
      shared_prefix_tokens: 0,
      block_tokens: 512,
      tenant: null,
    });
  });

  it('does not share default objects between scenarios', () => {
    const a = minimal();
    a.router.probes.interval_ms = 1;
    a.models[0].latency = { model: 'service', service: { dist: 'fixed', value: 1 } };
    const b = minimal();
    expect(b.router.probes.interval_ms).toBe(5000);
    expect(b.models[0].latency.model).toBe('ttft_tpot');
  });

  it('fills quota, cache, sessions and gguf sub-defaults', () => {
    const r = loadScenario(
      [
        'duration: 1m',
        'models:',
        '  - { id: a, quota: { tokens_per_minute: 1000 }, cache: { capacity_tokens: 4096 } }',
        '  - { id: b, backend: gguf, path: /nonexistent/m.gguf, context_length: 2048 }',
        '  - { id: c, latency: { prefill_per_token: 0.5ms, decode_step: 20ms }, max_concurrency: 8 }',
        'traffic: { sessions: { count: 10 } }',
      ].join('\n'),
      '',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const [a, b, c] = r.scenario.models;
    expect(a.quota).toEqual({
      tokens_per_minute: 1000,
      requests_per_minute: Number.POSITIVE_INFINITY,
      initial_used: 0,
    });
    expect(a.cache).toEqual({ kind: 'prefix', capacity_tokens: 4096, block_tokens: 16 });
    expect(b.gguf).toEqual({ path: '/nonexistent/m.gguf', gpu: 'auto', context_size: 2048 });
    expect(r.warnings.map((w) => w.message)).toEqual([
      'models[1].path: model file not found: /nonexistent/m.gguf (the model will be marked unhealthy)',
    ]);
    expect(c.latency).toEqual({
      model: 'batching',
      prefill_per_token_ms: 0.5,
      decode_step_ms: 20,
      slowdown: 0.1,
      max_batch: 8,
    });
    const t = r.scenario.traffic;
    expect(t.kind === 'synthetic' && t.sessions).toEqual({
      count: 10,
      popularity: 'zipf',
      zipf_s: 1,
      turns: { dist: 'geometric', mean: 4 },
      think_time_ms: { dist: 'fixed', value: 10_000 },
    });
  });
});
