/**
 * The gateway gives up on what nobody waits for, as a run does: a client that goes away mid-proxy has its
 * upstream request cancelled (the upstream sees its own client go), an attempt past router.request_timeout
 * is cancelled and answered 504 (or retried), and a 429 carries Retry-After. Loopback only, bounded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeOpenAI } from '../src/backends/openai/fake-server.js';
import { type Gateway, startGateway } from '../src/gateway/server.js';
import { loadScenario } from '../src/scenario/load.js';

const open: Gateway[] = [];
const fakes: FakeServer[] = [];

async function gateway(yaml: string): Promise<Gateway> {
  const r = loadScenario(yaml, 'cancel.yaml', { serving: true });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const gw = await startGateway(r.scenario, { port: 0 });
  open.push(gw);
  return gw;
}

afterAll(async () => {
  await Promise.all(open.map((g) => g.close(1000)));
  await Promise.all(fakes.map((f) => f.close()));
});

function post(gw: Gateway, body: unknown) {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const chat = (extra: Record<string, unknown> = {}) => ({
  model: 'auto',
  messages: [{ role: 'user', content: 'sixteen chars!!!' }],
  max_tokens: 7,
  ...extra,
});

/** A metric's value from Prometheus text (0 when absent). */
function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

const metrics = async (gw: Gateway) => (await fetch(`${gw.url}/metrics`)).text();

/** Poll (bounded) until `gw` has nothing in flight; returns its metrics text. */
async function settled(gw: Gateway): Promise<string> {
  for (let k = 0; k < 300; k++) {
    const m = await metrics(gw);
    if (metric(m, 'routesim_gateway_in_flight') === 0) return m;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('requests still in flight after 3 s');
}

describe('gateway cancels', () => {
  it('cancels the upstream request when its client goes away mid-proxy', async () => {
    // 200 tokens at 20 ms: 4 s if it ran to its end.
    const upstream = await gateway(`name: up
router: { strategy: round_robin }
models:
  - { id: u, max_concurrency: 8, latency: { ttft: 1ms, tpot: 20ms } }
`);
    const front = await gateway(`name: front
router: { strategy: round_robin, max_retries: 0 }
models:
  - { id: p, max_concurrency: 8, backend: openai, url: "${upstream.url}/v1", api_model: u }
`);
    const r = await post(front, chat({ stream: true, max_tokens: 200 }));
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    await reader.read(); // the stream has begun
    await reader.cancel();
    const f = await settled(front);
    const u = await settled(upstream);
    // Ended as errors on both sides, long before the 200 tokens could have been streamed.
    expect(metric(f, 'routesim_gateway_requests_total', 'model="p",outcome="error"')).toBe(1);
    expect(metric(f, 'routesim_gateway_requests_total', 'model="p",outcome="ok"')).toBe(0);
    expect(metric(u, 'routesim_gateway_requests_total', 'model="u",outcome="error"')).toBe(1);
    expect(metric(u, 'routesim_gateway_requests_total', 'model="u",outcome="ok"')).toBe(0);
    expect(front.fleet.cluster.backend(0).inService()).toBe(0);
    expect(upstream.fleet.cluster.backend(0).inService()).toBe(0);
    // Both still serve.
    expect((await post(front, chat())).status).toBe(200);
  });

  it('cancels the attempt of a non-streamed request whose client gives up waiting', async () => {
    const gw = await gateway(`name: wait
router: { strategy: round_robin, max_retries: 0 }
models:
  - { id: w, max_concurrency: 8, latency: { ttft: 10s, tpot: 1ms } }
`);
    const ctl = new AbortController();
    const r = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chat()),
      signal: ctl.signal,
    });
    // Bounded wait until the attempt is at the model, then the client gives up.
    for (let k = 0; k < 300 && gw.fleet.cluster.backend(0).inService() === 0; k++)
      await new Promise((res) => setTimeout(res, 10));
    expect(gw.fleet.cluster.backend(0).inService()).toBe(1);
    ctl.abort();
    await expect(r).rejects.toThrow();
    const m = await settled(gw);
    expect(metric(m, 'routesim_gateway_requests_total', 'model="w",outcome="error"')).toBe(1);
    expect(gw.fleet.cluster.backend(0).inService()).toBe(0);
  });

  it('times an attempt out after router.request_timeout: 504, or a retry elsewhere', async () => {
    const gw = await gateway(`name: slow
router: { strategy: round_robin, max_retries: 0, request_timeout: 100ms }
models:
  - { id: slow, max_concurrency: 8, latency: { ttft: 10s, tpot: 1ms } }
`);
    const r = await post(gw, chat());
    expect(r.status).toBe(504);
    const m = await settled(gw);
    expect(metric(m, 'routesim_gateway_errors_total', 'model="slow",kind="timeout"')).toBe(1);
    expect(gw.fleet.cluster.backend(0).inService()).toBe(0);

    const two = await gateway(`name: retry
router: { strategy: round_robin, max_retries: 1, retry_delay: 1ms, request_timeout: 100ms }
models:
  - { id: slow, max_concurrency: 8, latency: { ttft: 10s, tpot: 1ms } }
  - { id: fast, max_concurrency: 8, latency: { ttft: 1ms, tpot: 1ms } }
`);
    const codes: number[] = [];
    for (let k = 0; k < 4; k++) codes.push((await post(two, chat())).status);
    expect(codes).toEqual([200, 200, 200, 200]);
    const t = await settled(two);
    expect(metric(t, 'routesim_gateway_requests_total', 'model="fast",outcome="ok"')).toBe(4);
    // Every attempt sent to the slow model timed out and was retried on the fast one.
    const slow = metric(t, 'routesim_gateway_attempts_total', 'model="slow"');
    expect(slow).toBeGreaterThan(0);
    expect(metric(t, 'routesim_gateway_errors_total', 'model="slow",kind="timeout"')).toBe(slow);
    expect(metric(t, 'routesim_gateway_retries_total', 'model="slow"')).toBe(slow);
    expect(two.fleet.cluster.backend(0).inService()).toBe(0);
  });

  it('aborts a proxied attempt past router.request_timeout', async () => {
    const hung = await startFakeOpenAI({ hang: true }, { max_requests: 10, lifetime_ms: 10_000 });
    fakes.push(hung);
    const gw = await gateway(`name: hung
router: { strategy: round_robin, max_retries: 0, request_timeout: 100ms }
models:
  - { id: h, max_concurrency: 8, backend: openai, url: "${hung.url}", timeout: 10s }
`);
    const r = await post(gw, chat({ stream: true }));
    expect(r.status).toBe(504);
    const m = await settled(gw);
    expect(metric(m, 'routesim_gateway_errors_total', 'model="h",kind="timeout"')).toBe(1);
    expect(gw.fleet.cluster.backend(0).inService()).toBe(0);
  });
});

describe('gateway 429', () => {
  it('carries Retry-After: the rest of a sim quota window', async () => {
    const gw = await gateway(`name: quota
router: { strategy: round_robin, max_retries: 0 }
models:
  - { id: q, max_concurrency: 8, latency: { ttft: 1ms, tpot: 1ms }, quota: { requests_per_minute: 1 } }
`);
    expect((await post(gw, chat())).status).toBe(200);
    const r = await post(gw, chat());
    expect(r.status).toBe(429);
    const s = Number(r.headers.get('retry-after'));
    // The gateway started under a second ago: the one-minute window has 59 to 60 s left.
    expect(s).toBeGreaterThanOrEqual(55);
    expect(s).toBeLessThanOrEqual(60);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it("carries Retry-After: what the upstream's 429 asked for", async () => {
    const limited = await startFakeOpenAI(
      { status: 429, retry_after: '7' },
      { max_requests: 10, lifetime_ms: 10_000 },
    );
    fakes.push(limited);
    const gw = await gateway(`name: limited
router: { strategy: round_robin, max_retries: 0 }
models:
  - { id: l, max_concurrency: 8, backend: openai, url: "${limited.url}" }
`);
    const r = await post(gw, chat());
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    // While the wait runs the model refuses at once, with what is left of it.
    const again = await post(gw, chat());
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(6);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(7);
    expect(limited.requests).toHaveLength(1);
  });
});
