/**
 * `routesim gateway` over loopback (ephemeral ports, a bounded number of requests, every server closed
 * by the test): the OpenAI-compatible shapes (stream and not, usage), errors with their statuses, routing
 * by the scenario's router (round robin split, affinity, retries around a failing model, 503 when nothing
 * can serve), the /metrics counters, and --record replayed by `routesim run` with the same request count.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Gateway } from '../src/gateway/server.js';
import { gatewayKit } from './gateway-kit.js';
import { runCli } from './testkit.js';

const { dir, gateway } = gatewayKit('routesim-gateway-');

const TWO = `name: two
seed: 3
router: { strategy: round_robin, max_retries: 2, retry_delay: 5ms }
models:
  - { id: a, max_concurrency: 8, latency: { ttft: 5ms, tpot: 1ms } }
  - { id: b, max_concurrency: 8, latency: { ttft: 5ms, tpot: 1ms } }
`;

function post(gw: Gateway, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const chat = (extra: Record<string, unknown> = {}) => ({
  model: 'auto',
  messages: [{ role: 'user', content: 'sixteen chars!!!' }],
  max_tokens: 7,
  ...extra,
});

/** A response's JSON body, read loosely (the assertions say what it must hold). */
// biome-ignore lint/suspicious/noExplicitAny: test code reads response bodies loosely
const json = (r: Response): Promise<any> => r.json();

/** The `data:` payloads of an SSE body. */
function events(text: string): string[] {
  return text
    .split('\n\n')
    .filter((b) => b.startsWith('data: '))
    .map((b) => b.slice(6));
}

/** A metric's value from Prometheus text (0 when absent). */
function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('gateway endpoints', () => {
  it('answers chat and completions, streamed and not, with OpenAI shapes and usage', async () => {
    const gw = await gateway(TWO);
    const r = await post(gw, '/v1/chat/completions', chat());
    expect(r.status).toBe(200);
    const j = await json(r);
    expect(j.object).toBe('chat.completion');
    expect(j.choices[0].message.role).toBe('assistant');
    expect(j.choices[0].message.content.split(' ')).toHaveLength(7);
    expect(j.choices[0].finish_reason).toBe('length');
    expect(j.usage).toEqual({ prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 });

    const s = await post(
      gw,
      '/v1/chat/completions',
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const ev = events(await s.text());
    expect(ev.at(-1)).toBe('[DONE]');
    const chunks = ev.slice(0, -1).map((e) => JSON.parse(e));
    const content = chunks.filter((c) => c.choices[0]?.delta?.content !== undefined);
    expect(content).toHaveLength(7);
    expect(content[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('length');
    expect(chunks.at(-1).usage).toEqual({ prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 });

    const t = await post(gw, '/v1/completions', {
      model: 'a',
      prompt: [1, 2, 3],
      max_tokens: 3,
      stream: true,
    });
    const tev = events(await t.text())
      .slice(0, -1)
      .map((e) => JSON.parse(e));
    expect(tev.map((c) => c.choices[0].text)).toEqual(['token', ' token', ' token', '']);
    expect(tev.every((c) => c.usage === undefined && c.object === 'text_completion')).toBe(true);

    const m = await json(await fetch(`${gw.url}/v1/models`));
    expect(m.data.map((x: { id: string }) => x.id)).toEqual(['auto', 'a', 'b']);
    const h = await fetch(`${gw.url}/healthz`);
    expect([h.status, (await json(h)).models]).toEqual([200, { a: 'healthy', b: 'healthy' }]);
  });

  it('refuses bad requests with OpenAI-style errors and the right status', async () => {
    const gw = await gateway(TWO);
    const cases: [Promise<Response>, number, string | null][] = [
      [post(gw, '/v1/chat/completions', '{not json'), 400, null],
      [post(gw, '/v1/chat/completions', { model: 'auto' }), 400, 'messages'],
      [post(gw, '/v1/chat/completions', chat({ max_tokens: 0 })), 400, 'max_tokens'],
      [post(gw, '/v1/completions', [1, 2]), 400, null],
      [post(gw, '/v1/chat/completions', chat({ model: 'nope' })), 404, 'model'],
      [post(gw, '/v1/embeddings', {}), 404, null],
      [fetch(`${gw.url}/v1/chat/completions`), 405, null],
      [fetch(`${gw.url}/metrics`, { method: 'DELETE' }), 405, null],
      [post(gw, '/v1/chat/completions', 'x'.repeat(5 * 1024 * 1024)), 413, null],
    ];
    for (const [p, status, param] of cases) {
      const r = await p;
      const body = await json(r);
      expect([r.status, typeof body.error.message, body.error.param]).toEqual([status, 'string', param]);
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    }
    // Still serving after all of that.
    expect((await post(gw, '/v1/chat/completions', chat())).status).toBe(200);
  });

  it('answers 503 when no model can serve', async () => {
    const gw = await gateway(`name: down
models:
  - { id: a, health: unhealthy, latency: { ttft: 5ms, tpot: 1ms } }
`);
    const r = await post(gw, '/v1/chat/completions', chat());
    expect(r.status).toBe(503);
    expect((await json(r)).error.code).toBe('no_model_available');
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(503);
  });
  it('survives a client that goes away mid-stream', async () => {
    const gw = await gateway(TWO.replace(/tpot: 1ms/g, 'tpot: 20ms'));
    const r = await post(gw, '/v1/chat/completions', chat({ stream: true, max_tokens: 20 }));
    const reader = r.body!.getReader();
    await reader.read(); // the first token is out
    await reader.cancel();
    // Its attempt is cancelled at the (simulated) model; the gateway writes nowhere and goes on serving.
    expect((await post(gw, '/v1/chat/completions', chat())).status).toBe(200);
    let inFlight = 1;
    for (let k = 0; k < 200 && inFlight > 0; k++) {
      await new Promise((res) => setTimeout(res, 10));
      inFlight = metric(await (await fetch(`${gw.url}/metrics`)).text(), 'routesim_gateway_in_flight');
    }
    expect(inFlight).toBe(0);
    const m = await (await fetch(`${gw.url}/metrics`)).text();
    const count = (outcome: string) =>
      metric(m, 'routesim_gateway_requests_total', `model="a",outcome="${outcome}"`) +
      metric(m, 'routesim_gateway_requests_total', `model="b",outcome="${outcome}"`);
    expect(count('ok')).toBe(1);
    expect(count('error')).toBe(1);
    expect(gw.fleet.cluster.backend(0).inService() + gw.fleet.cluster.backend(1).inService()).toBe(0);
  });
});

describe('gateway routing and metrics', () => {
  it('splits by the strategy, retries around a failing model, and counts it all in /metrics', async () => {
    const gw = await gateway(`name: retry
router: { strategy: round_robin, max_retries: 2, retry_delay: 5ms }
models:
  - { id: good, max_concurrency: 8, latency: { ttft: 2ms, tpot: 1ms } }
  - { id: bad, max_concurrency: 8, failure_rate: 1, latency: { ttft: 2ms, tpot: 1ms } }
`);
    const N = 10;
    const codes: number[] = [];
    for (let k = 0; k < N; k++) {
      const r = await post(gw, '/v1/chat/completions', chat({ stream: k % 2 === 0 }));
      codes.push(r.status);
      await r.text();
    }
    expect(codes).toEqual(Array(N).fill(200));
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metric(text, 'routesim_gateway_requests_total', 'model="good",outcome="ok"')).toBe(N);
    const bad = metric(text, 'routesim_gateway_attempts_total', 'model="bad"');
    expect(bad).toBeGreaterThanOrEqual(N / 2 - 1);
    expect(metric(text, 'routesim_gateway_retries_total', 'model="bad"')).toBe(bad);
    expect(metric(text, 'routesim_gateway_errors_total', 'model="bad",kind="error"')).toBe(bad);
    expect(metric(text, 'routesim_gateway_attempts_total', 'model="good"')).toBe(N);
    expect(metric(text, 'routesim_gateway_ttft_seconds_count', 'model="good"')).toBe(N);
    expect(metric(text, 'routesim_gateway_model_health', 'model="good"')).toBe(1);
    expect(text).toContain('# TYPE routesim_gateway_e2e_seconds histogram');
  });

  it('pins a session (header or user field) to one model and counts affinity entries', async () => {
    const gw = await gateway(
      TWO.replace('strategy: round_robin', 'strategy: round_robin, session_affinity: true'),
    );
    for (let k = 0; k < 12; k++) {
      const s = `s${k % 3}`;
      const r = await post(
        gw,
        '/v1/chat/completions',
        chat(k % 2 ? { user: s } : {}),
        k % 2 ? {} : { 'x-session-id': s },
      );
      await r.text();
    }
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metric(text, 'routesim_gateway_affinity_entries')).toBe(3);
    expect(metric(text, 'routesim_gateway_routing_decisions_total', 'source="affinity"')).toBe(9);
    expect(metric(text, 'routesim_gateway_routing_decisions_total', 'source="round_robin"')).toBe(3);
  });
});

describe('gateway --record', () => {
  it('writes a native trace that routesim run replays with the same request count', async () => {
    const rec = join(dir, 'served.jsonl');
    const gw = await gateway(TWO, rec);
    const N = 9;
    await Promise.all(
      Array.from({ length: N }, (_, k) =>
        post(gw, '/v1/chat/completions', chat({ max_tokens: 3 + k, stream: k % 3 === 0 }), {
          'x-session-id': `u${k % 2}`,
        }).then((r) => r.text()),
      ),
    );
    await gw.close(1000);
    const rows = readFileSync(rec, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(N);
    expect(rows.map((r) => r.output_tokens).sort((x, y) => x - y)).toEqual(
      Array.from({ length: N }, (_, k) => 3 + k),
    );
    expect(rows.every((r, k) => k === 0 || r.t_ms >= rows[k - 1].t_ms)).toBe(true);
    expect(rows.every((r) => r.tags[1] === 'outcome:ok' && /^model:[ab]$/.test(r.tags[0]))).toBe(true);
    writeFileSync(join(dir, 'replay.yaml'), `${TWO}traffic: { trace: served.jsonl }\n`);
    const out = join(dir, 'replay-out');
    const res = await runCli(['run', join(dir, 'replay.yaml'), '--out', out, '--no-charts', '--quiet']);
    expect(res.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.requests.total).toBe(N);
    expect(report.requests.completed).toBe(N);
  });
});

describe('routesim gateway (the command)', () => {
  it('refuses bad flags and an unwritable record with exit 2', async () => {
    const file = join(dir, 'cli.yaml');
    writeFileSync(file, TWO);
    for (const args of [
      ['--port', 'abc'],
      ['--port', '70000'],
      ['--grace', 'soon'],
      ['--record', dir],
    ]) {
      const r = await runCli(['gateway', file, ...args]);
      expect([args[0], r.code]).toEqual([args[0], 2]);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('serves until SIGTERM, then finishes the request in flight and writes the record', async () => {
    const file = join(dir, 'slow.yaml');
    writeFileSync(file, TWO.replace(/ttft: 5ms/g, 'ttft: 300ms'));
    const rec = join(dir, 'cli.jsonl');
    const bin = join(import.meta.dirname, '..', 'bin', 'routesim.js');
    const child = spawn(process.execPath, [bin, 'gateway', file, '--port', '0', '--record', rec], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let err = '';
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 60_000);
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(err);
          if (m) {
            clearTimeout(t);
            resolve(m[1]);
          }
        });
      });
      const pending = fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify(chat({ stream: true })),
      }).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 100)); // the request is in flight (its first token is 300 ms away)
      child.kill('SIGTERM');
      const text = await pending;
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      expect(events(text).filter((e) => e.includes('"content"'))).toHaveLength(7);
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(0);
      const rows = readFileSync(rec, 'utf8').trim().split('\n');
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]).tags).toEqual([expect.stringMatching(/^model:[ab]$/), 'outcome:ok']);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('exits 2 naming a port in use, and does not hang there (probes and timers once kept it alive)', async () => {
    const file = join(dir, 'busy.yaml');
    writeFileSync(file, TWO);
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const bin = join(import.meta.dirname, '..', 'bin', 'routesim.js');
      const child = spawn(process.execPath, [bin, 'gateway', file, '--port', port], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const kill = setTimeout(() => child.kill('SIGKILL'), 60_000); // a hang fails as exit null
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      clearTimeout(kill);
      expect(code).toBe(2);
      expect(err).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      taken.close();
    }
  }, 90_000);
});
