/**
 * `routesim discover --json` once printed the internal ModelSpec (latency tagged unions, gguf: {...},
 * Infinity context) that a scenario rejects. It now prints what a user writes under `models:`, with the
 * file metadata apart under `info`; `--yaml` prints a `models:` block that loads as part of a scenario.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeGguf } from '../src/backends/gguf/synth.js';
import { loadScenario } from '../src/scenario/load.js';
import { runCli } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-discover-out-'));
const models = join(dir, 'models');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(models, { recursive: true });
  synthesizeGguf(join(models, 'Tiny Chat.gguf'), {
    layers: 1,
    width: 32,
    heads: 2,
    vocab: 300,
    context: 512,
  });
});

const TAIL = 'traffic: { arrivals: { process: constant, rate: 1/s }, requests: 3 }\n';

describe('discover output a scenario accepts', () => {
  it('--json: scenario-shaped models, metadata apart under info', async () => {
    const r = await runCli(['discover', models, '--json']);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out);
    expect(parsed.models).toEqual([
      {
        id: 'tiny-chat',
        backend: 'gguf',
        path: relative(process.cwd(), join(models, 'Tiny Chat.gguf')),
        context_length: 512,
        context_size: 512,
        max_concurrency: 4,
        max_queue: 64,
      },
    ]);
    expect(parsed.info['tiny-chat']).toMatchObject({ architecture: 'llama', profile: false });
    expect(parsed.problems).toEqual([]);
    // The JSON entries paste into a scenario (JSON is YAML) and load.
    const text = `name: j\nmodels: ${JSON.stringify(parsed.models)}\n${TAIL}`;
    const loaded = loadScenario(text, join(process.cwd(), 'pasted.yaml'));
    expect(loaded.ok ? [] : loaded.issues).toEqual([]);
  });

  it('--yaml: a models: block that loads through loadScenario as part of a scenario', async () => {
    const r = await runCli(['discover', models, '--yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^models:\n {2}- id: tiny-chat\n {4}backend: gguf\n/m);
    const loaded = loadScenario(`name: y\n${r.out}${TAIL}`, join(process.cwd(), 'pasted.yaml'));
    expect(loaded.ok ? [] : loaded.issues).toEqual([]);
    if (!loaded.ok) return;
    const m = loaded.scenario.models[0];
    expect(m.id).toBe('tiny-chat');
    expect(m.backend).toBe('gguf');
    expect(m.gguf?.path).toBe(join(models, 'Tiny Chat.gguf'));
    expect(m.context_length).toBe(512);
    expect(m.max_concurrency).toBe(4);
    expect(m.max_queue).toBe(64);
  });
});
