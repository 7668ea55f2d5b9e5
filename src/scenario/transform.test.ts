import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.js';
import type { ScenarioFiles } from './resolve.js';
import { emptyEngineFiles } from './resolve-engine.js';
import { scenarioSchema } from './schema.js';
import { toScenario } from './transform.js';
import type { Scenario } from './types.js';

function load(yaml: string, file = ''): Scenario {
  const r = loadScenario(yaml, file);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return r.scenario;
}

const MODELS = 'models:\n  - id: a\n  - id: b\n';

describe('units', () => {
  it('normalises durations to ms and rates to per second everywhere', () => {
    const s = load(
      [
        'duration: 1h30m',
        'router: { affinity_timeout: 2m, retry_delay: 0.25, signals: { refresh: 500ms }, probes: { interval: 2s }, outlier_detection: { cooldown: 1m } }',
        MODELS,
        'traffic: { arrivals: { rate: 3600/h }, sessions: { count: 5, think_time: { dist: uniform, min: 1s, max: 3s } } }',
        'timeline: { interval: 10s }',
      ].join('\n'),
    );
    expect(s.horizon_ms).toBe(5_400_000);
    expect(s.router.affinity_timeout_ms).toBe(120_000);
    expect(s.router.retry_delay_ms).toBe(250);
    expect(s.router.signals.refresh_ms).toBe(500);
    expect(s.router.probes.interval_ms).toBe(2000);
    expect(s.router.outlier_detection.cooldown_ms).toBe(60_000);
    expect(s.timeline_interval_ms).toBe(10_000);
    const t = s.traffic;
    if (t.kind !== 'synthetic') throw new Error(t.kind);
    expect(t.arrivals.rate).toBe(1);
    expect(t.sessions?.think_time_ms).toEqual({ dist: 'uniform', min: 1000, max: 3000 });
  });

  it('reads latency distributions in ms and token distributions as numbers', () => {
    const s = load(
      [
        'duration: 1m',
        'models:',
        '  - id: a',
        '    latency: { ttft: { dist: lognormal, median: 180ms, p99: 0.9 }, tpot: { dist: gamma, mean: 25ms, cv: 0.5 } }',
        '  - id: b',
        '    latency: { service: { dist: pareto, scale: 100ms, shape: 2.5 } }',
        'traffic: { prompt_tokens: 600, output_tokens: { dist: normal, mean: 200, stddev: 50 } }',
      ].join('\n'),
    );
    expect(s.models[0].latency).toEqual({
      model: 'ttft_tpot',
      ttft: { dist: 'lognormal', median: 180, p99: 900 },
      tpot: { dist: 'gamma', mean: 25, cv: 0.5 },
    });
    expect(s.models[1].latency).toEqual({
      model: 'service',
      service: { dist: 'pareto', scale: 100, shape: 2.5 },
    });
    const t = s.traffic;
    if (t.kind !== 'synthetic') throw new Error(t.kind);
    expect(t.prompt_tokens).toEqual({ dist: 'fixed', value: 600 });
    expect(t.output_tokens).toEqual({ dist: 'normal', mean: 200, stddev: 50 });
  });
});

describe('arrival processes', () => {
  const arrivals = (a: string) => {
    const t = load(`duration: 1m\n${MODELS}traffic: { arrivals: ${a} }`).traffic;
    if (t.kind !== 'synthetic') throw new Error(t.kind);
    return t.arrivals;
  };
  it('names each process parameter as the generators read it, defaults filled', () => {
    expect(arrivals('{ process: constant, rate: 5 }')).toEqual({ process: 'constant', rate: 5, params: {} });
    expect(arrivals('{ process: gamma, rate: 5, cv: 2 }')).toEqual({
      process: 'gamma',
      rate: 5,
      params: { cv: 2 },
    });
    expect(arrivals('{ process: diurnal, rate: 5, period: 1h }')).toEqual({
      process: 'diurnal',
      rate: 5,
      params: { period_ms: 3_600_000, phase_ms: 0, peak_to_trough: 3 },
    });
    expect(arrivals('{ process: diurnal, amplitude: 0.2 }').params).toEqual({
      period_ms: 86_400_000,
      phase_ms: 0,
      amplitude: 0.2,
    });
    expect(arrivals('{ process: bursts, rate: 2, on: 5s }')).toEqual({
      process: 'bursts',
      rate: 2,
      params: { on_ms: 5000, off_ms: 50_000, burst_factor: 5 },
    });
    expect(arrivals('{ process: ramp, rate: 60/s, from_rate: 600/m, ramp: 2m }')).toEqual({
      process: 'ramp',
      rate: 60,
      params: { from_rate: 10, ramp_ms: 120_000 },
    });
  });
});

describe('events', () => {
  it('splits multi-change events, one per change, and sorts by time stably', () => {
    const s = load(
      [
        'duration: 10m',
        'router: { ab_test: { model_a: a, model_b: b } }',
        MODELS,
        'events:',
        '  - { at: 5m, model: a, latency_factor: 3, failure_rate: 0.2 }',
        '  - { at: 1m, model: b, health: unhealthy, max_concurrency: 4 }',
        '  - { at: 5m, router: { strategy: round_robin, retry_delay: 1s } }',
        '  - { at: 1m, model: a, health: degraded }',
        '  - { at: 2m, ab_split: 0.2 }',
        '  - { at: 3m, model: a, quota: { requests_per_minute: 60 } }',
      ].join('\n'),
    );
    expect(s.events).toEqual([
      { at_ms: 60_000, kind: 'health', model: 'b', health: 'unhealthy' },
      { at_ms: 60_000, kind: 'capacity', model: 'b', max_concurrency: 4 },
      { at_ms: 60_000, kind: 'health', model: 'a', health: 'degraded' },
      { at_ms: 120_000, kind: 'ab_split', split: 0.2 },
      {
        at_ms: 180_000,
        kind: 'quota',
        model: 'a',
        tokens_per_minute: Number.POSITIVE_INFINITY,
        requests_per_minute: 60,
      },
      { at_ms: 300_000, kind: 'latency_factor', model: 'a', factor: 3 },
      { at_ms: 300_000, kind: 'failure_rate', model: 'a', failure_rate: 0.2 },
      { at_ms: 300_000, kind: 'router', changes: { strategy: 'round_robin', retry_delay_ms: 1000 } },
    ]);
  });

  it('expands an ab_split ramp into steps from the split in effect', () => {
    const s = load(
      [
        'duration: 10m',
        'router: { ab_test: { model_a: a, model_b: b, split: 0.1 } }',
        MODELS,
        'events:',
        '  - { at: 1m, ab_split: { to: 0.5, over: 4m, steps: 4 } }',
      ].join('\n'),
    );
    expect(
      s.events.map((e) => [e.at_ms, e.kind === 'ab_split' ? Math.round(e.split * 100) / 100 : null]),
    ).toEqual([
      [120_000, 0.2],
      [180_000, 0.3],
      [240_000, 0.4],
      [300_000, 0.5],
    ]);
  });

  it('keeps quota limits the event does not change', () => {
    const s = load(
      [
        'duration: 1m',
        'models:',
        '  - { id: a, quota: { tokens_per_minute: 5000 } }',
        'events:',
        '  - { at: 1s, model: a, quota: { requests_per_minute: 9 } }',
      ].join('\n'),
    );
    expect(s.events[0]).toMatchObject({ tokens_per_minute: 5000, requests_per_minute: 9 });
  });

  it('warns about an event after the horizon', () => {
    const r = loadScenario(
      `duration: 1m\n${MODELS}events:\n  - { at: 2m, model: a, health: unhealthy }\n`,
      '',
    );
    expect(r.ok && r.warnings.map((w) => [w.line, w.column, w.message])).toEqual([
      [6, 11, 'events[0].at: event at 120 s is after the horizon (60 s): it never happens'],
    ]);
  });
});

describe('expectations', () => {
  it('records each expectation with its operator and position', () => {
    const s = load(
      `duration: 1m\n${MODELS}expect:\n  - { metric: models.a.share, ">=": 0.6 }\n  - metric: requests.failed\n    "==": 0\n`,
    );
    expect(s.expect).toEqual([
      { metric: 'models.a.share', op: '>=', value: 0.6, line: 6, column: 5 },
      { metric: 'requests.failed', op: '==', value: 0, line: 7, column: 5 },
    ]);
  });
});

describe('conversion', () => {
  it('reads nothing itself: files come from what resolve read', () => {
    const raw = scenarioSchema.parse({
      duration: '1m',
      models: [
        { id: 'a', latency: { profile: 'p.json' } },
        { id: 'b', latency: { ttft: { dist: 'empirical', file: 'ttft.txt' }, tpot: '10ms' } },
      ],
      traffic: { trace: 't.csv' },
    });
    const profile = {
      model: 'profile' as const,
      profile_path: '/nowhere/p.json',
      prefill_base_ms: 1,
      prefill_ms_per_token: 2,
      decode_base_ms: 3,
      decode_per_seq_ms: 4,
    };
    const files: ScenarioFiles = {
      abs: (p) => `/nowhere/${p}`,
      missingModels: new Set(),
      unloadableModels: new Map(),
      profiles: new Map([['/nowhere/p.json', profile]]),
      samples: new Map([['/nowhere/ttft.txt', '5ms, 7ms']]),
      traceFormats: new Map([['/nowhere/t.csv', 'azure']]),
      discovered: [],
      inferencePerf: new Map(),
      engine: emptyEngineFiles(),
    };
    const r = toScenario(raw, files, { file: '', defaultName: 's', locate: () => ({ line: 1, column: 1 }) });
    expect(r.issues).toEqual([]);
    expect(r.scenario?.models[0].latency).toEqual(profile);
    expect(r.scenario?.models[0].latency).not.toBe(profile);
    expect(r.scenario?.models[1].latency).toMatchObject({ ttft: { dist: 'empirical', samples: [5, 7] } });
    expect(r.scenario?.traffic).toMatchObject({ kind: 'trace', path: '/nowhere/t.csv', format: 'azure' });
  });

  it('holds the samples of an empirical file to the limits of their quantity', () => {
    const raw = scenarioSchema.parse({
      duration: '1m',
      models: [{ id: 'a', latency: { ttft: { dist: 'empirical', file: 't.txt' }, tpot: '10ms' } }],
      traffic: { requests: 1, prompt_tokens: { dist: 'empirical', file: 'n.txt' } },
    });
    const files: ScenarioFiles = {
      abs: (p) => `/nowhere/${p}`,
      missingModels: new Set(),
      unloadableModels: new Map(),
      profiles: new Map(),
      samples: new Map([
        ['/nowhere/t.txt', '5ms 400d'],
        ['/nowhere/n.txt', '12, 2e7'],
      ]),
      traceFormats: new Map(),
      discovered: [],
      inferencePerf: new Map(),
      engine: emptyEngineFiles(),
    };
    const r = toScenario(raw, files, { file: '', defaultName: 's', locate: () => ({ line: 1, column: 1 }) });
    expect(r.issues.map((i) => i.message)).toEqual([
      'samples file /nowhere/t.txt: sample 2 "400d" is not a duration of at most 365d',
      'samples file /nowhere/n.txt: sample 2 "2e7" is not a number in 0..10000000',
    ]);
  });
});
