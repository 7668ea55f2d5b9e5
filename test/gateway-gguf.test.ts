/**
 * The gateway serving a gguf model in process (node-llama-cpp on CPU, a tiny model synthesized into a
 * temporary folder) beside a simulated one: streamed and non-streamed answers with exactly the tokens asked
 * for, and a model file that cannot load routed around (unhealthy from the start).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesizeGguf } from '../src/backends/gguf/synth.js';
import { type Gateway, startGateway } from '../src/gateway/server.js';
import { loadScenario } from '../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-gateway-gguf-'));
let gw: Gateway | null = null;

afterAll(async () => {
  await gw?.close(1000);
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway with a gguf model', () => {
  it('streams exactly the tokens asked for from llama.cpp, and routes around a model that cannot load', async () => {
    synthesizeGguf(join(dir, 'tiny.gguf'), { vocab: 300, context: 512 });
    const full = readFileSync(join(dir, 'tiny.gguf'));
    writeFileSync(join(dir, 'broken.gguf'), full.subarray(0, full.length - 5000));
    const r = loadScenario(
      `name: gguf-gateway
router: { strategy: round_robin, max_retries: 2, retry_delay: 1ms }
models:
  - { id: tiny, backend: gguf, path: tiny.gguf, gpu: false, max_concurrency: 2, context_size: 128 }
  - { id: broken, backend: gguf, path: broken.gguf, gpu: false }
`,
      join(dir, 'scenario.yaml'),
      { serving: true },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    gw = await startGateway(r.scenario, { port: 0, threads: 1 });
    const health = (await (await fetch(`${gw.url}/healthz`)).json()) as { models: Record<string, string> };
    expect(health.models).toEqual({ tiny: 'healthy', broken: 'unhealthy' });
    for (const stream of [true, false, true]) {
      const res = await fetch(`${gw.url}/v1/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'auto', prompt: 'the quick brown fox', max_tokens: 5, stream }),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      if (stream) {
        const chunks = text
          .split('\n\n')
          .filter((b) => b.startsWith('data: {'))
          .map((b) => JSON.parse(b.slice(6)));
        expect(chunks.filter((c) => c.choices[0]?.text).length).toBe(5);
        expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      } else {
        const j = JSON.parse(text);
        expect(j.usage.completion_tokens).toBe(5);
        expect(j.model).toBe('auto');
      }
    }
    const m = await (await fetch(`${gw.url}/metrics`)).text();
    expect(m).toContain('routesim_gateway_requests_total{model="tiny",outcome="ok"} 3');
    expect(m).toContain('routesim_gateway_attempts_total{model="broken"} 0');
  }, 120_000);
});
