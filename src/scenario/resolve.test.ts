import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGgufFile } from '../backends/gguf/header.js';
import { synthesizeGguf } from '../backends/gguf/synth.js';
import { loadScenario } from './load.js';
import { resolveFiles } from './resolve.js';
import { scenarioSchema } from './schema.js';
import type { Scenario } from './types.js';

function load(yaml: string, file = ''): Scenario {
  const r = loadScenario(yaml, file);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return r.scenario;
}

describe('resolveFiles', () => {
  it('reads what the scenario names, against its folder, and says what is missing', () => {
    const d = mkdtempSync(join(tmpdir(), 'routesim-resolve-'));
    writeFileSync(join(d, 'turns.txt'), '1 2 3');
    writeFileSync(join(d, 'az.csv'), 'TIMESTAMP,ContextTokens,GeneratedTokens\n');
    const raw = scenarioSchema.parse({
      models: [{ id: 'g', backend: 'gguf', path: 'gone.gguf' }],
      traffic: {
        streams: [
          { trace: 'az.csv' },
          { requests: 1, sessions: { count: 2, turns: { dist: 'empirical', file: 'turns.txt' } } },
          { requests: 1, prompt_tokens: { dist: 'empirical', file: 'none.txt' } },
        ],
      },
    });
    const r = resolveFiles(raw, d);
    expect([...r.files.missingModels]).toEqual([join(d, 'gone.gguf')]);
    expect(r.warnings.map((w) => w.path)).toEqual([['models', 0, 'path']]);
    expect([...r.files.samples]).toEqual([[join(d, 'turns.txt'), '1 2 3']]);
    expect([...r.files.traceFormats]).toEqual([[join(d, 'az.csv'), 'azure']]);
    expect(r.issues).toEqual([
      {
        path: ['traffic', 'streams', 2, 'prompt_tokens', 'file'],
        message: `cannot read samples file ${join(d, 'none.txt')}: not found`,
      },
    ]);
  });

  it('resolves relative paths against the scenario folder and reads profiles and sample files', () => {
    const d = mkdtempSync(join(tmpdir(), 'routesim-scn-'));
    writeFileSync(join(d, 'trace.jsonl'), '{}\n');
    writeFileSync(join(d, 'ttft.txt'), '100ms\n0.2\n300ms\n');
    writeFileSync(
      join(d, 'm.profile.json'),
      JSON.stringify({
        prefill_base_ms: 5,
        prefill_ms_per_token: 0.1,
        decode_base_ms: 20,
        decode_per_seq_ms: 2,
      }),
    );
    const file = join(d, 'scn.yaml');
    const s = load(
      [
        'duration: 1m',
        'models:',
        '  - { id: a, latency: { profile: m.profile.json } }',
        '  - { id: b, latency: { ttft: { dist: empirical, file: ttft.txt }, tpot: 10ms } }',
        'traffic:',
        '  streams:',
        '    - { trace: trace.jsonl, window: { start: 10s }, tenant: chat }',
        '    - { requests: 5, arrivals: { rate: 1 } }',
      ].join('\n'),
      file,
    );
    expect(s.name).toBe('scn');
    expect(s.file).toBe(file);
    expect(s.models[0].latency).toEqual({
      model: 'profile',
      profile_path: join(d, 'm.profile.json'),
      prefill_base_ms: 5,
      prefill_ms_per_token: 0.1,
      decode_base_ms: 20,
      decode_per_seq_ms: 2,
    });
    expect(s.models[1].latency).toMatchObject({ ttft: { dist: 'empirical', samples: [100, 200, 300] } });
    if (s.traffic.kind !== 'merge') throw new Error(s.traffic.kind);
    expect(s.traffic.streams[0]).toEqual({
      kind: 'trace',
      path: join(d, 'trace.jsonl'),
      format: 'native',
      speed: 1,
      target_rate: null,
      window: { start_ms: 10_000, end_ms: Number.POSITIVE_INFINITY },
      sample: 1,
      loop: false,
      on_bad_row: 'fail',
      columns: null,
      tenant: 'chat',
    });
    expect(s.traffic.streams[1]).toMatchObject({ kind: 'synthetic', requests: 5 });
  });

  it('reports a missing profile with a hint', () => {
    const r = loadScenario(
      'duration: 1m\nmodels:\n  - { id: a, latency: { profile: nope.json } }\n',
      '/tmp/x/s.yaml',
    );
    expect(!r.ok && r.issues.map((i) => [i.line, i.column, i.message, i.suggestion])).toEqual([
      [
        3,
        34,
        'models[0].latency.profile: cannot read latency profile /tmp/x/nope.json: not found',
        'write one with `routesim calibrate MODEL.gguf`',
      ],
    ]);
  });

  it('marks a gguf model whose file fails the header check unhealthy, with the reason, as it does a missing one', () => {
    const d = mkdtempSync(join(tmpdir(), 'routesim-badgguf-'));
    synthesizeGguf(join(d, 'ok.gguf'), { vocab: 300 });
    const full = readFileSync(join(d, 'ok.gguf'));
    writeFileSync(join(d, 'cut.gguf'), full.subarray(0, full.length - 4096));
    writeFileSync(join(d, 'junk.gguf'), 'not a model at all');
    writeFileSync(join(d, 'empty.gguf'), '');
    mkdirSync(join(d, 'found'));
    writeFileSync(join(d, 'found', 'zero.gguf'), '');
    const model = (id: string) =>
      `  - { id: ${id}, backend: gguf, path: ${id}.gguf, latency: { ttft: 5ms, tpot: 1ms } }`;
    const r = loadScenario(
      [
        'models:',
        ...['ok', 'cut', 'junk', 'empty', 'gone'].map(model),
        'discover: found',
        'traffic: { requests: 5 }',
      ].join('\n'),
      join(d, 's.yaml'),
    );
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const byId = Object.fromEntries(r.scenario.models.map((m) => [m.id, m]));
    expect(byId.ok.health).toBe('healthy');
    expect(byId.ok.load_problem).toBeUndefined();
    for (const id of ['cut', 'junk', 'empty', 'gone', 'zero']) expect(byId[id].health, id).toBe('unhealthy');
    const needs = checkGgufFile(join(d, 'ok.gguf'));
    if (!needs.ok) throw new Error(needs.problem);
    expect(byId.cut.load_problem).toBe(
      `model file cannot be loaded: cut.gguf: truncated: the tensor data needs ${needs.header.data_end} bytes, the file has ${full.length - 4096}; marked unhealthy, no traffic sent to it`,
    );
    expect(byId.junk.load_problem).toBe(
      'model file cannot be loaded: junk.gguf: not a GGUF file (the first bytes are "not ", a GGUF file starts with "GGUF"); marked unhealthy, no traffic sent to it',
    );
    expect(byId.empty.load_problem).toBe(
      'model file cannot be loaded: empty.gguf: the file is empty (0 bytes); marked unhealthy, no traffic sent to it',
    );
    expect(byId.gone.load_problem).toBe(
      'model file not found: gone.gguf; marked unhealthy, no traffic sent to it',
    );
    expect(byId.zero.load_problem).toBe(
      `model file cannot be loaded: ${join('found', 'zero.gguf')}: the file is empty (0 bytes); marked unhealthy, no traffic sent to it`,
    );
    // One warning per unusable file, at the key that names it.
    expect(r.warnings.map((w) => [w.line, w.column, w.message.replaceAll(d, 'D')])).toEqual([
      [
        3,
        37,
        `models[1].path: model file D/cut.gguf cannot be loaded: truncated: the tensor data needs ${needs.header.data_end} bytes, the file has ${full.length - 4096} (the model will be marked unhealthy)`,
      ],
      [
        4,
        38,
        'models[2].path: model file D/junk.gguf cannot be loaded: not a GGUF file (the first bytes are "not ", a GGUF file starts with "GGUF") (the model will be marked unhealthy)',
      ],
      [
        5,
        39,
        'models[3].path: model file D/empty.gguf cannot be loaded: the file is empty (0 bytes) (the model will be marked unhealthy)',
      ],
      [6, 38, 'models[4].path: model file not found: D/gone.gguf (the model will be marked unhealthy)'],
      [
        7,
        11,
        'discover: model file D/found/zero.gguf cannot be loaded: the file is empty (0 bytes) (the model will be marked unhealthy)',
      ],
    ]);
  });
});
