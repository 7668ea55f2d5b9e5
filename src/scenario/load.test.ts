import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.js';
import { loadScenario, scenarioIssuesToUserError } from './load.js';

/** [line, column, message, suggestion?] of every issue. */
function issues(yaml: string): (string | number | undefined)[][] {
  const r = loadScenario(yaml, 's.yaml');
  if (r.ok) throw new Error('expected problems');
  return r.issues.map((i) =>
    i.suggestion ? [i.line, i.column, i.message, i.suggestion] : [i.line, i.column, i.message],
  );
}

describe('positions', () => {
  it('reports YAML syntax errors with the parser position, and nothing else', () => {
    expect(issues('models:\n  - id: a\n  - id: a\n    id: b\n')).toEqual([
      [4, 5, 'YAML syntax: Map keys must be unique'],
    ]);
  });

  it('places an unknown key on the key, a bad value on the value, a missing key on its mapping', () => {
    expect(
      issues(
        [
          'duration: 1m',
          'models:',
          '  - id: a',
          '    latency:',
          '      ttft: { dist: lognormal, median: 1s }',
          '      tpot: 1s',
          '      tfft: 2s',
        ].join('\n'),
      ),
    ).toEqual([
      [5, 13, 'models[0].latency.ttft.p99: missing required key `p99`'],
      [7, 7, 'models[0].latency.tfft: unknown key `tfft`', 'did you mean `ttft`?'],
    ]);
  });

  it('follows anchors and aliases; top-level x- keys hold anchors', () => {
    const yaml = [
      'duration: 1m',
      'x-lat: &lat { ttft: 1s, tpot: nope }',
      'models:',
      '  - { id: a, latency: *lat }',
    ].join('\n');
    expect(issues(yaml)).toEqual([
      [2, 31, expect.stringMatching(/^models\[0\]\.latency\.tpot: expected a duration like 250ms/)],
    ]);
  });

  it('says when the document is not a mapping', () => {
    expect(issues('- a\n- b\n')).toEqual([
      [1, 1, 'a scenario is a mapping of keys (name, models, traffic, ...), not a list or a value'],
    ]);
  });
});

describe('checks across keys', () => {
  const base = 'duration: 1m\n';
  it('latency models: one at a time, complete', () => {
    expect(
      issues(
        `${base}models:\n  - { id: a, latency: { ttft: 1s } }\n  - { id: b, latency: { prefill_per_token: 1ms, decode_step: 1ms, decode_per_token: 2ms } }\n  - { id: c, latency: {} }\n`,
      ),
    ).toEqual([
      [3, 23, 'models[0].latency: the ttft/tpot latency model needs both `ttft` and `tpot`'],
      [4, 67, 'models[1].latency.decode_per_token: give decode_step or decode_per_token, not both'],
      [
        5,
        23,
        'models[2].latency: latency names no model: use { ttft, tpot }, { service }, { prefill_per_token, decode_step } or { profile }',
      ],
    ]);
  });

  it('gguf models need a path; gguf keys need backend gguf; caches are one kind', () => {
    expect(
      issues(
        `${base}models:\n  - { id: a, backend: gguf }\n  - { id: b, path: m.gguf }\n  - { id: c, cache: { hit_rate: 0.5, capacity_tokens: 10 } }\n`,
      ),
    ).toEqual([
      [3, 23, 'models[0].backend: a gguf model needs `path:` (the .gguf file)'],
      [4, 14, 'models[1].path: `path` is only for backend: gguf', 'add `backend: gguf`'],
      [5, 21, 'models[2].cache: cache is either { hit_rate } or { capacity_tokens, block_tokens }, not both'],
    ]);
  });

  it('traffic: trace keys and synthetic keys do not mix; something must end the run', () => {
    expect(issues('models: [{ id: a }]\ntraffic: { trace: t.csv, requests: 3 }\n')).toEqual([
      [2, 26, 'traffic.requests: `requests` is for synthetic traffic, not a trace'],
    ]);
    expect(issues('models: [{ id: a }]\n')).toEqual([
      [1, 1, 'nothing bounds the run: set `duration` (or traffic.requests)'],
    ]);
    expect(issues('models: [{ id: a }]\ntraffic: { arrivals: { rate: 1 } }\n')).toEqual([
      [2, 10, 'traffic: synthetic traffic without `requests` needs a `duration` to end'],
    ]);
  });

  it('distributions: names, required keys and parameter sanity', () => {
    expect(
      issues(
        `${base}models:\n  - { id: a, latency: { service: { dist: lognormal, median: 2s, p99: 1s } } }\n  - { id: b, latency: { service: { median: 2s } } }\n  - { id: c, latency: { service: true } }\n`,
      ),
    ).toEqual([
      [3, 70, 'models[0].latency.service.p99: lognormal needs 0 < median <= p99'],
      [
        4,
        34,
        'models[1].latency.service.dist: missing required key `dist` (one of fixed, uniform, exponential, normal, lognormal, gamma, pareto, empirical)',
      ],
      [
        5,
        34,
        'models[2].latency.service: expected a duration like 250ms or a distribution like { dist: lognormal, median: 180ms, p99: 900ms }, got boolean true',
      ],
    ]);
  });

  it('unions of literals list every allowed value', () => {
    expect(issues(`${base}models:\n  - { id: a, backend: gguf, path: /x.gguf, gpu: metal }\n`)).toEqual([
      [3, 49, 'models[0].gpu: expected one of auto, cuda, vulkan, false, got string "metal"'],
    ]);
  });

  it('events: model changes need a model; ab_split needs an ab_test', () => {
    expect(
      issues(
        `${base}models: [{ id: a }]\nevents:\n  - { at: 1s, health: unhealthy }\n  - { at: 2s, ab_split: 0.5 }\n  - { at: 3s, model: a, router: { strategy: random } }\n`,
      ),
    ).toEqual([
      [4, 5, 'events[0]: event changes health but names no `model`'],
      [5, 15, 'events[1].ab_split: ab_split needs router.ab_test'],
      [6, 15, 'events[2].model: `model` is only used with a model change (health, latency_factor, ...)'],
    ]);
  });
});

describe('scenarioIssuesToUserError', () => {
  it('carries every issue as a positioned problem', () => {
    const r = loadScenario('models: []\nfoo: 1\n', 'a.yaml');
    if (r.ok) throw new Error('expected problems');
    const err = scenarioIssuesToUserError(r.issues);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe('2 problems in a.yaml');
    expect(err.problems).toEqual([
      {
        file: 'a.yaml',
        line: 1,
        column: 9,
        message: 'models: no models: a scenario needs at least one model under `models:`',
      },
      {
        file: 'a.yaml',
        line: 2,
        column: 1,
        message: 'foo: unknown key `foo`',
        suggestion:
          'allowed: name, description, seed, duration, router, models, discover, traffic, events, expect, variants, timeline',
      },
    ]);
  });
});

describe('strategy options', () => {
  it('are checked by the strategy, at the position of the option', () => {
    const yaml = [
      'duration: 1m',
      'router:',
      '  strategy: weighted_score',
      '  strategy_options: { latency_scale_ms: -5 }',
      'models: [{ id: a }]',
      'events:',
      '  - { at: 10s, router: { strategy: round_robin, strategy_options: { foo: 1 } } }',
    ].join('\n');
    expect(issues(yaml)).toEqual([
      [
        4,
        41,
        expect.stringMatching(
          /^router\.strategy_options\.latency_scale_ms: weighted_score: strategy_options\.latency_scale_ms must be a number in/,
        ),
      ],
      [
        7,
        69,
        'events[0].router.strategy_options.foo: round_robin: unknown option strategy_options.foo (allowed: none)',
      ],
    ]);
  });
});

describe('trace format', () => {
  it('is told from the file when not named, and named in the error when it cannot be', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'routesim-fmt-'));
    writeFileSync(
      join(dir, 'az.csv'),
      'TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:17:03.9799600,10,2\r\n',
    );
    writeFileSync(join(dir, 'odd.csv'), 'a,b\n1,2\n');
    const base = 'duration: 1m\nmodels: [{ id: a }]\n';
    const ok = loadScenario(`${base}traffic: { trace: az.csv }\n`, join(dir, 's.yaml'));
    expect(ok.ok && ok.scenario.traffic.kind === 'trace' && ok.scenario.traffic.format).toBe('azure');
    const bad = loadScenario(`${base}traffic: { trace: odd.csv }\n`, join(dir, 's.yaml'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.issues[0].line).toBe(3);
      // A scenario's advice is its key, not the command line's --format flag.
      expect(bad.issues[0].message).toBe(
        'traffic.trace: cannot tell the format of this trace from its name and first line',
      );
      expect(bad.issues[0].suggestion).toBe(
        'add format: azure | mooncake | burstgpt | native | csv; csv also needs columns:',
      );
    }
  });
});
