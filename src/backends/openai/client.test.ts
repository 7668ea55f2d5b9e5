import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openUpstream, type UpstreamTarget } from './client.js';
import { type FakeBehaviour, type FakeServer, startFakeOpenAI } from './fake-server.js';
import { Limiter } from './limiter.js';
import { retryAfterMs } from './outcome.js';

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(b: FakeBehaviour | ((n: number) => FakeBehaviour)): Promise<FakeServer> {
  const s = await startFakeOpenAI(b, { max_requests: 50, lifetime_ms: 20_000 });
  servers.push(s);
  return s;
}

const words = (n: number) => Array.from({ length: n }, () => 'w').join(' ');
const chatBody = (max: number, stream = true, usage = true) => ({
  model: 'm',
  messages: [{ role: 'user', content: words(10) }],
  max_tokens: max,
  stream,
  ...(stream && usage ? { stream_options: { include_usage: true } } : {}),
});

describe('openUpstream', () => {
  it('streams chat chunks as they arrive and takes the token count from usage', async () => {
    const s = await fake({ decode_base_ms: 1 });
    const t: UpstreamTarget = { url: `${s.url}/`, api: 'chat', api_key: 'sekret' };
    const call = await openUpstream(t, chatBody(7));
    expect(call.failure).toBeNull();
    expect(call.streaming).toBe(true);
    const data: string[] = [];
    for await (const ev of call.events()) data.push(ev.data);
    const r = await call.finish();
    expect(r.kind).toBe('ok');
    expect(r.output_tokens).toBe(7);
    expect(r.prompt_tokens).toBe(10);
    expect(r.tokens_from).toBe('usage');
    expect(r.chunks).toBe(7);
    expect(r.itl_ms).toHaveLength(6);
    expect(r.ttft_ms).toBeLessThanOrEqual(r.e2e_ms);
    // role chunk, 7 tokens, finish chunk, usage chunk, [DONE]
    expect(data).toHaveLength(11);
    expect(data.at(-1)).toBe('[DONE]');
    expect(s.requests[0].path).toBe('/v1/chat/completions');
    expect(s.requests[0].headers.authorization).toBe('Bearer sekret');
  });

  it('hands each message to each() as it arrives; a callback that throws stops the call', async () => {
    const s = await fake({});
    const a = await openUpstream({ url: s.url, api: 'chat' }, chatBody(5));
    const data: string[] = [];
    let tokens = 0;
    await a.each((ev) => {
      data.push(ev.data);
      tokens += ev.tokens;
    });
    // role chunk, 5 tokens, finish chunk, usage chunk, [DONE]
    expect(data).toHaveLength(9);
    expect(tokens).toBe(5);
    expect((await a.finish()).output_tokens).toBe(5);
    const b = await openUpstream({ url: s.url, api: 'chat' }, chatBody(40));
    await expect(
      b.each((ev) => {
        if (ev.tokens > 0) throw new Error('relay failed');
      }),
    ).rejects.toThrow('relay failed');
    const r = await b.finish();
    expect(r.kind).toBe('error');
    expect(r.chunks).toBeLessThan(40);
  });

  it('counts streamed chunks when the server sends no usage (completions API)', async () => {
    const s = await fake({ usage: false });
    const call = await openUpstream(
      { url: s.url, api: 'completions' },
      { model: 'm', prompt: words(5), max_tokens: 9, stream: true },
    );
    const r = await call.finish();
    expect(s.requests[0].path).toBe('/v1/completions');
    expect(r).toMatchObject({ kind: 'ok', output_tokens: 9, tokens_from: 'chunks', usage: null });
    expect(r.prompt_tokens).toBeNaN();
  });

  it('reads a non-streamed response whole', async () => {
    const s = await fake({});
    const call = await openUpstream({ url: s.url, api: 'chat' }, chatBody(4, false));
    expect(call.streaming).toBe(false);
    const evs = [];
    for await (const ev of call.events()) evs.push(ev);
    expect(evs).toHaveLength(1);
    expect((evs[0].json as { choices: { message: { content: string } }[] }).choices[0].message.content).toBe(
      ' t0 t1 t2 t3',
    );
    const r = await call.finish();
    expect(r).toMatchObject({ kind: 'ok', output_tokens: 4, prompt_tokens: 10, tokens_from: 'usage' });
  });

  it('maps 429 to rate_limited with its Retry-After, and 5xx to error with the message', async () => {
    const s = await fake((n) =>
      n === 1
        ? { status: 429, retry_after: '3' }
        : { status: 503, error_body: '{"error":{"message":"overloaded"}}' },
    );
    const a = await openUpstream({ url: s.url, api: 'chat' }, chatBody(3));
    expect(a.failure).toEqual({
      kind: 'rate_limited',
      detail: 'HTTP 429: fake status 429',
      retry_after_ms: 3000,
    });
    expect((await a.finish()).kind).toBe('rate_limited');
    const b = await openUpstream({ url: s.url, api: 'chat' }, chatBody(3));
    const r = await b.finish();
    expect(r).toMatchObject({
      kind: 'error',
      status: 503,
      detail: 'HTTP 503: overloaded',
      retry_after_ms: null,
    });
  });

  it('maps a refused connection to error and a hung server to timeout', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const refused = await openUpstream({ url: `http://127.0.0.1:${port}/v1`, api: 'chat' }, chatBody(3));
    expect(refused.failure).toMatchObject({ kind: 'error', detail: 'connection refused' });
    expect((await refused.finish()).status).toBe(0);

    const s = await fake({ hang: true });
    const hung = await openUpstream({ url: s.url, api: 'chat' }, chatBody(3), { timeout_ms: 150 });
    expect(hung.failure).toMatchObject({ kind: 'timeout', detail: 'timed out after 150 ms' });
  });

  it('fails a stream broken part way, keeping the tokens it got', async () => {
    const s = await fake({ break_after: 3 });
    const r = await (await openUpstream({ url: s.url, api: 'chat' }, chatBody(10))).finish();
    expect(r.kind).toBe('error');
    expect(r.chunks).toBe(3);
    expect(r.output_tokens).toBe(3);
  });

  it('sends a request again on a fresh socket when a reused keep-alive socket turns out closed', async () => {
    // The second request on a socket finds it closed (as when the server dropped an idle connection just
    // as the client reused it): the client must not report that as the server failing.
    const perSocket = new Map<unknown, number>();
    const srv = createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      req.resume();
      req.on('end', () => {
        if (n === 2) {
          req.socket.destroy();
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            choices: [{ message: { content: 'hi' } }],
            usage: { prompt_tokens: 1, completion_tokens: 1 },
          }),
        );
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const t: UpstreamTarget = {
        url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`,
        api: 'chat',
      };
      const a = await (await openUpstream(t, chatBody(1, false))).finish();
      expect(a.kind).toBe('ok');
      const b = await (await openUpstream(t, chatBody(1, false))).finish();
      expect(b).toMatchObject({ kind: 'ok', output_tokens: 1 });
      expect(perSocket.size).toBe(2);
      expect([...perSocket.values()]).toEqual([2, 1]);
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('closes the call when the caller breaks off, and the limiter bounds calls in flight', async () => {
    const s = await fake({ decode_base_ms: 2 });
    const lim = new Limiter(2);
    const calls = await Promise.all(
      [1, 2].map(() => openUpstream({ url: s.url, api: 'chat' }, chatBody(50), { limiter: lim })),
    );
    expect(lim.inUse).toBe(2);
    const third = openUpstream({ url: s.url, api: 'chat' }, chatBody(2), { limiter: lim });
    for await (const ev of calls[0].events()) if (ev.tokens > 0) break;
    const r0 = await calls[0].finish();
    expect(r0).toMatchObject({ kind: 'error', detail: 'the response was not read to its end', chunks: 1 });
    calls[1].abort();
    expect((await calls[1].finish()).detail).toBe('aborted');
    const r3 = await (await third).finish();
    expect(r3.output_tokens).toBe(2);
    expect(lim.inUse).toBe(0);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds, HTTP dates and retry-after-ms; caps and floors', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2.5' }), now)).toBe(2500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '120', 'retry-after': '9' }), now)).toBe(120);
    expect(retryAfterMs(new Headers({ 'retry-after': '99999' }), now)).toBe(600_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(new Headers({}), now)).toBeNull();
  });
});
