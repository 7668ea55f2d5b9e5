/**
 * `backend: openai` in a live replay, against fake OpenAI-compatible servers on loopback
 * (src/backends/openai/fake-server.ts): a short native trace replayed in real time, each request asking for
 * exactly the trace's tokens; failures (500, 429 with Retry-After, a hung server, a refused connection)
 * mapped to the router's outcome kinds so retries and health routing behave as in simulation; and the
 * user errors (a missing key variable, a bad URL) at file:line:column.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FakeBehaviour, type FakeServer, startFakeOpenAI } from '../src/backends/openai/fake-server.js';
import { runLiveScenario, runScenario } from '../src/experiments/run-scenario.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';
import { runCli } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'routesim-openai-'));
let servers: FakeServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fake(b: FakeBehaviour | ((n: number) => FakeBehaviour)): Promise<FakeServer> {
  const s = await startFakeOpenAI(b, { max_requests: 100, lifetime_ms: 30_000 });
  servers.push(s);
  return s;
}

/** A native trace: `n` requests 40 ms apart, prompt 8 + i words, output 3 + (i mod 4) tokens. */
function trace(n: number): string {
  const file = join(dir, `trace-${n}.jsonl`);
  const rows = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ t_ms: i * 40, prompt_tokens: 8 + i, output_tokens: 3 + (i % 4) }),
  );
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

function scenario(yaml: string): Scenario {
  const r = loadScenario(yaml, join(dir, 'scenario.yaml'));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('run --live with openai models', () => {
  it('replays a trace against two endpoints, asking each for exactly the trace tokens', async () => {
    const a = await fake({ prefill_base_ms: 5, decode_base_ms: 2 });
    const b = await fake({ prefill_base_ms: 5, decode_base_ms: 2, usage: false });
    const s = scenario(`name: openai-live
router: { strategy: round_robin }
models:
  - { id: a, backend: openai, url: "${a.url}", api_model: served-a, api_key_env: ROUTESIM_TEST_KEY }
  - { id: b, backend: openai, url: "${b.url}", api: completions }
traffic: { trace: ${trace(12)}, format: native }
`);
    const { report, result } = await runLiveScenario(s, { env: { ROUTESIM_TEST_KEY: 'k-123' } });
    expect(report.requests).toMatchObject({ total: 12, completed: 12, failed: 0, rejected: 0, retried: 0 });
    expect(report.models.a.completed).toBe(6);
    expect(report.models.b.completed).toBe(6);
    expect(a.requests).toHaveLength(6);
    expect(b.requests).toHaveLength(6);
    // Round robin starts at a: rows 0, 2, 4... go to a (the server may see them in another order).
    const asked = (f: FakeServer) =>
      f.requests.map((r) => [r.prompt_tokens, r.body.max_tokens]).sort((x, y) => Number(x[0]) - Number(y[0]));
    expect(asked(a)).toEqual([8, 10, 12, 14, 16, 18].map((p, k) => [p, 3 + ((2 * k) % 4)]));
    expect(asked(b)).toEqual([9, 11, 13, 15, 17, 19].map((p, k) => [p, 3 + ((2 * k + 1) % 4)]));
    expect(a.requests[0]).toMatchObject({
      path: '/v1/chat/completions',
      body: { model: 'served-a', stream: true },
    });
    expect(a.requests[0].headers.authorization).toBe('Bearer k-123');
    expect(b.requests[0]).toMatchObject({ path: '/v1/completions', body: { model: 'b', ignore_eos: true } });
    expect(b.requests[0].headers.authorization).toBeUndefined();
    // Every request produced its tokens (TPOT is measured over output_tokens - 1 gaps, all > 1 here).
    expect(report.latency.tpot_ms.count).toBe(12);
    expect(report.models.a.ttft_ms.p50).toBeGreaterThan(0);
    expect(report.models.a.e2e_ms.p50).toBeGreaterThan(report.models.a.ttft_ms.p50);
    expect(report.models.a.notes[0]).toMatch(
      /^backend openai: served live by http:\/\/127\.0\.0\.1:\d+\/v1 \(model served-a, chat API\)/,
    );
    expect(result.live.models.map((m) => m.state)).toEqual(['ready', 'ready']);
    // The key is in no report.
    expect(JSON.stringify(report)).not.toContain('k-123');
    // Simulated, the same scenario needs no key and sends nothing.
    const sim = (await runScenario(s)).report;
    expect(sim.requests.completed).toBe(12);
    expect(sim.models.a.notes).toEqual([
      'backend openai: simulated with its latency model (this run did not serve the real model)',
    ]);
    expect(a.requests).toHaveLength(6);
  }, 30_000);

  it('retries elsewhere after a 500, a timeout and a 429, and honours the Retry-After', async () => {
    const broken = await fake({ status: 500 });
    const hung = await fake({ hang: true });
    const limited = await fake({ status: 429, retry_after: '30' });
    const good = await fake({ decode_base_ms: 1 });
    const s = scenario(`name: openai-failover
router: { strategy: round_robin, max_retries: 3, retry_delay: 1ms, outlier_detection: { consecutive_failures: 0 } }
models:
  - { id: broken, backend: openai, url: "${broken.url}" }
  - { id: hung, backend: openai, url: "${hung.url}", timeout: 150ms }
  - { id: limited, backend: openai, url: "${limited.url}" }
  - { id: good, backend: openai, url: "${good.url}" }
traffic: { trace: ${trace(8)}, format: native }
`);
    const { report } = await runLiveScenario(s);
    expect(report.requests).toMatchObject({ total: 8, completed: 8, failed: 0 });
    expect(report.models.good.completed).toBe(8);
    expect(good.requests).toHaveLength(8);
    // 429 with Retry-After 30 s: the attempts sent before the first 429 came back reached it (one, unless the
    // machine stalled), every later one was refused at once without being sent.
    const sent = limited.requests.length;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(report.models.limited.failed_attempts).toBe(sent);
    expect(report.models.limited.refused_attempts).toBe(report.models.limited.attempts - sent);
    expect(report.models.limited.refused_attempts).toBeGreaterThan(0);
    expect(report.models.broken.failed_attempts).toBe(broken.requests.length);
    expect(report.models.hung.failed_attempts).toBe(hung.requests.length);
    expect(broken.requests.length).toBeGreaterThan(0);
    expect(hung.requests.length).toBeGreaterThan(0);
    // Every attempt on a failing model failed or was refused, and was retried: good took each request once.
    expect(report.models.good.attempts).toBe(8);
    for (const id of ['broken', 'hung', 'limited']) {
      const m = report.models[id];
      expect(m.failed_attempts + m.refused_attempts, id).toBe(m.attempts);
    }
    expect(report.requests.retried).toBeGreaterThan(0);
  }, 30_000);

  it('routes around a server that refuses connections from the start, and says so', async () => {
    const port = await closedPort();
    const good = await fake({});
    const s = scenario(`name: openai-down
router: { strategy: round_robin }
models:
  - { id: down, backend: openai, url: "http://127.0.0.1:${port}/v1" }
  - { id: good, backend: openai, url: "${good.url}" }
traffic: { trace: ${trace(6)}, format: native }
`);
    const { report, result } = await runLiveScenario(s);
    expect(report.requests).toMatchObject({ total: 6, completed: 6 });
    expect(report.models.down.attempts).toBe(0);
    expect(report.models.good.completed).toBe(6);
    expect(result.live.models[0]).toMatchObject({ state: 'failed' });
    expect(report.models.down.notes[0]).toMatch(
      /unreachable at the start \(http:\/\/127\.0\.0\.1:\d+\/v1: connection refused\)/,
    );
  }, 30_000);
});

describe('openai scenario errors', () => {
  it('the example scenario (scenarios/live/openai.yaml) validates', async () => {
    const r = await runCli(['validate', join(import.meta.dirname, '..', 'scenarios', 'live', 'openai.yaml')]);
    expect(r.code, r.err).toBe(0);
  });

  it('a missing key variable is exit 2 at the api_key_env position', async () => {
    const file = join(dir, 'nokey.yaml');
    writeFileSync(
      file,
      `name: nokey
models:
  - id: a
    backend: openai
    url: http://127.0.0.1:9/v1
    api_key_env: ROUTESIM_SURELY_UNSET_KEY
traffic: { requests: 2 }
`,
    );
    delete process.env.ROUTESIM_SURELY_UNSET_KEY;
    const r = await runCli(['run', file, '--live', '--out', join(dir, 'out-nokey'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${file}:6:18: models[0].api_key_env: the environment variable ROUTESIM_SURELY_UNSET_KEY is not set`,
    );
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a bad URL is exit 2 at its position; so is an openai key on a sim model', async () => {
    const file = join(dir, 'badurl.yaml');
    writeFileSync(
      file,
      `name: badurl
models:
  - { id: a, backend: openai, url: "localhost:8000" }
  - { id: b, api_model: x }
traffic: { requests: 2 }
`,
    );
    const r = await runCli(['run', file, '--out', join(dir, 'out-badurl'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:3:36: models[0].url: expected an http:// or https:// base URL`);
    expect(r.err).toContain(`${file}:4:14: models[1].api_model: \`api_model\` is only for backend: openai`);
  });
});
