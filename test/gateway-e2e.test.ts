/**
 * The end-to-end test of issue 14, on loopback: two gateways serving `sim` models are the upstream fleet
 * (A1 serves model x, A2 serves model y); gateway B's models are `backend: openai` pointing at them. Streamed
 * and non-streamed requests to B are split by B's round robin, pass through to A1 and A2 with every token,
 * and show in both gateways' /metrics; when A2 is stopped, B's attempts on it fail (connection refused) and
 * are retried on the other model, so every request still succeeds; B's recorded trace replays in
 * `routesim run` with the same request count. Every server is closed by the test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Gateway } from '../src/gateway/server.js';
import { loadScenario } from '../src/scenario/load.js';
import { gatewayKit } from './gateway-kit.js';
import { runCli } from './testkit.js';

const { dir, gateway } = gatewayKit('routesim-gateway-e2e-');

const upstream = (id: string) => `name: fleet-${id}
models:
  - { id: ${id}, max_concurrency: 8, latency: { ttft: 5ms, tpot: 1ms } }
`;

function metric(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

const metrics = async (g: Gateway) => (await fetch(`${g.url}/metrics`)).text();

/** One request to B: the streamed content chunks (or the answer's completion tokens) and the status. */
async function ask(
  g: Gateway,
  stream: boolean,
  max_tokens: number,
): Promise<{ status: number; tokens: number }> {
  const r = await fetch(`${g.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'auto',
      messages: [{ role: 'user', content: 'hello there' }],
      max_tokens,
      stream,
    }),
  });
  const text = await r.text();
  if (r.status !== 200) return { status: r.status, tokens: 0 };
  if (!stream) return { status: 200, tokens: JSON.parse(text).usage.completion_tokens };
  const data = text
    .split('\n\n')
    .filter((b) => b.startsWith('data: '))
    .map((b) => b.slice(6));
  expect(data.at(-1)).toBe('[DONE]');
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
  return { status: 200, tokens: chunks.filter((c) => c.choices[0]?.delta?.content).length };
}

describe('gateway in front of gateways (backend: openai)', () => {
  it('routes, streams every token, counts, fails over, and records a replayable trace', async () => {
    const a1 = await gateway(upstream('x'));
    const a2 = await gateway(upstream('y'));
    const rec = join(dir, 'b.jsonl');
    const bYaml = `name: front
router: { strategy: round_robin, max_retries: 2, retry_delay: 5ms }
models:
  - { id: bx, backend: openai, url: "${a1.url}/v1", api_model: auto }
  - { id: by, backend: openai, url: "${a2.url}/v1", api_model: auto }
`;
    const b = await gateway(bYaml, rec);

    // Both upstreams up: an even split, every token through.
    const before = [];
    for (let k = 0; k < 8; k++) before.push(await ask(b, k % 2 === 0, 4 + k));
    expect(before).toEqual(Array.from({ length: 8 }, (_, k) => ({ status: 200, tokens: 4 + k })));
    let mb = await metrics(b);
    expect(metric(mb, 'routesim_gateway_attempts_total', 'model="bx"')).toBe(4);
    expect(metric(mb, 'routesim_gateway_attempts_total', 'model="by"')).toBe(4);
    expect(metric(mb, 'routesim_gateway_routing_decisions_total', 'source="round_robin"')).toBe(8);
    expect(metric(await metrics(a1), 'routesim_gateway_requests_total', 'model="x",outcome="ok"')).toBe(4);
    expect(metric(await metrics(a2), 'routesim_gateway_requests_total', 'model="y",outcome="ok"')).toBe(4);

    // A2 goes away: B retries its attempts on bx and nothing fails.
    await a2.close(1000);
    const after = [];
    for (let k = 0; k < 6; k++) after.push(await ask(b, k % 2 === 1, 3));
    expect(after).toEqual(Array(6).fill({ status: 200, tokens: 3 }));
    mb = await metrics(b);
    const retried = metric(mb, 'routesim_gateway_retries_total', 'model="by"');
    expect(retried).toBeGreaterThanOrEqual(1);
    expect(metric(mb, 'routesim_gateway_errors_total', 'model="by",kind="error"')).toBe(retried);
    expect(metric(mb, 'routesim_gateway_requests_total', 'model="bx",outcome="ok"')).toBe(4 + 6);
    expect(metric(mb, 'routesim_gateway_requests_total', 'model="by",outcome="ok"')).toBe(4);
    expect(metric(await metrics(a1), 'routesim_gateway_requests_total', 'model="x",outcome="ok"')).toBe(10);

    // B's record replays in `routesim run` with the same count.
    await b.close(1000);
    const rows = readFileSync(rec, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(14);
    writeFileSync(join(dir, 'replay.yaml'), `${bYaml}traffic: { trace: b.jsonl }\n`);
    const out = join(dir, 'replay-out');
    const res = await runCli(['run', join(dir, 'replay.yaml'), '--out', out, '--no-charts', '--quiet']);
    expect(res.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.requests.total).toBe(14);
  });
});

describe('a sim-backed gateway as an upstream', () => {
  it('applies the timeline in wall-clock time: the router routes around a model the event took down', async () => {
    const g = await gateway(`name: timeline
router: { strategy: round_robin, probes: { interval: 20ms, unhealthy_after: 1, healthy_after: 1 } }
models:
  - { id: a, latency: { ttft: 2ms, tpot: 1ms } }
  - { id: b, latency: { ttft: 2ms, tpot: 1ms } }
events:
  - { at: 100ms, model: a, health: unhealthy }
`);
    let health = '';
    for (let k = 0; k < 500 && health !== 'unhealthy'; k++) {
      await new Promise((r) => setTimeout(r, 20));
      const h = (await (await fetch(`${g.url}/healthz`)).json()) as { models: Record<string, string> };
      health = h.models.a;
    }
    expect(health).toBe('unhealthy');
    for (let k = 0; k < 6; k++) expect((await ask(g, k % 2 === 0, 2)).status).toBe(200);
    const m = await metrics(g);
    expect(metric(m, 'routesim_gateway_requests_total', 'model="b",outcome="ok"')).toBe(6);
    expect(metric(m, 'routesim_gateway_attempts_total', 'model="a"')).toBe(0);
    expect(metric(m, 'routesim_gateway_model_health', 'model="a"')).toBe(0);
  });

  it('serves a run --live replay: every request completes with at least the simulated TTFT', async () => {
    const g = await gateway(upstream('s').replace('ttft: 5ms', 'ttft: 20ms'));
    const trace = join(dir, 'live.jsonl');
    writeFileSync(
      trace,
      Array.from(
        { length: 6 },
        (_, k) => `{"t_ms": ${k * 20}, "prompt_tokens": 8, "output_tokens": ${2 + k}}\n`,
      ).join(''),
    );
    const { runLiveScenario } = await import('../src/experiments/run-scenario.js');
    const r = loadScenario(
      `name: live-through-gateway
models:
  - { id: up, backend: openai, url: "${g.url}/v1", api_model: s }
traffic: { trace: live.jsonl, format: native }
`,
      join(dir, 'live.yaml'),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const { report } = await runLiveScenario(r.scenario);
    expect(report.requests).toMatchObject({ total: 6, completed: 6, failed: 0 });
    // TTFT is the sim's 20 ms plus HTTP on loopback: never below it.
    expect(report.latency.ttft_ms.p50).toBeGreaterThanOrEqual(20);
    const m = await metrics(g);
    expect(metric(m, 'routesim_gateway_requests_total', 'model="s",outcome="ok"')).toBe(6);
  });
});
