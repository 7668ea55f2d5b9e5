/**
 * A fake OpenAI-compatible server for tests (not part of the product): node:http on 127.0.0.1, an
 * ephemeral port, `POST /v1/chat/completions` and `/v1/completions`, streamed or not. Its latency follows
 * the simulator's profile model, so a calibration against it has known answers:
 *   first token after prefill_base_ms + prefill_ms_per_token × prompt tokens (a prompt token is a word),
 *   then one token per decode step of decode_base_ms + decode_per_seq_ms × streams decoding now.
 * `GET /v1/models` lists one model. It sends `max_tokens` tokens (as if `ignore_eos`), usage when asked (`stream_options.include_usage`) unless
 * `usage: false`, and can answer with a status, hang, or break a stream. Bounded: past `max_requests` it
 * answers 503, and it closes itself after `lifetime_ms` whatever the test does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeBehaviour {
  prefill_base_ms?: number;
  prefill_ms_per_token?: number;
  decode_base_ms?: number;
  decode_per_seq_ms?: number;
  /** false: never send usage (clients must count chunks). Default true (when asked for, and non-streamed). */
  usage?: boolean;
  /** Answer with this status (and `error_body`) instead of completing. */
  status?: number;
  retry_after?: string;
  error_body?: string;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Break the connection after this many streamed tokens. */
  break_after?: number;
}

interface FakeRequest {
  path: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  prompt_tokens: number;
}

export interface FakeServer {
  /** Base URL, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  port: number;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export interface FakeOptions {
  /** The model GET /v1/models lists (default fake-model). */
  model?: string;
  max_requests?: number;
  lifetime_ms?: number;
}

/** Words in a request's prompt (completions `prompt`, or every chat message's content). */
function promptWords(body: Record<string, unknown>): number {
  const words = (s: unknown) =>
    typeof s === 'string' ? s.split(/\s+/).filter((w) => w.length > 0).length : 0;
  if (Array.isArray(body.messages))
    return body.messages.reduce((n: number, m) => n + words((m as { content?: unknown }).content), 0);
  return words(body.prompt);
}

export async function startFakeOpenAI(
  behaviour: FakeBehaviour | ((n: number, body: Record<string, unknown>) => FakeBehaviour),
  opts: FakeOptions = {},
): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const maxRequests = opts.max_requests ?? 500;
  let decoding = 0;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, f: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
  };

  const serve = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.method === 'GET' && (req.url ?? '').endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ object: 'list', data: [{ id: opts.model ?? 'fake-model', object: 'model' }] }),
      );
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'body is not JSON', type: 'invalid_request_error' } }));
      return;
    }
    const path = req.url ?? '';
    const chat = path.endsWith('/chat/completions');
    if (req.method !== 'POST' || (!chat && !path.endsWith('/completions'))) {
      res.writeHead(404).end();
      return;
    }
    const prompt = promptWords(body);
    requests.push({ path, body, headers: req.headers, prompt_tokens: prompt });
    if (requests.length > maxRequests) {
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"error":{"message":"fake: too many requests"}}');
      return;
    }
    const b = typeof behaviour === 'function' ? behaviour(requests.length, body) : behaviour;
    if (b.hang) return;
    if (b.status !== undefined && b.status !== 200) {
      const h: Record<string, string> = { 'content-type': 'application/json' };
      if (b.retry_after !== undefined) h['retry-after'] = b.retry_after;
      res.writeHead(b.status, h).end(b.error_body ?? `{"error":{"message":"fake status ${b.status}"}}`);
      return;
    }
    const want = typeof body.max_tokens === 'number' ? body.max_tokens : 16;
    const stream = body.stream === true;
    const so = body.stream_options as { include_usage?: boolean } | undefined;
    const sendUsage = b.usage !== false && (!stream || so?.include_usage === true);
    const usage = { prompt_tokens: prompt, completion_tokens: want, total_tokens: prompt + want };
    const id = `fake-${requests.length}`;
    const piece = (i: number) =>
      chat ? { index: 0, delta: { content: ` t${i}` } } : { index: 0, text: ` t${i}` };
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: chat ? 'chat.completion.chunk' : 'text_completion', model: body.model, choices, ...extra })}\n\n`;
    const prefill = (b.prefill_base_ms ?? 0) + (b.prefill_ms_per_token ?? 0) * prompt;
    const step = () => (b.decode_base_ms ?? 0) + (b.decode_per_seq_ms ?? 0) * decoding;

    if (!stream) {
      let t = prefill;
      for (let i = 1; i < want; i++) t += (b.decode_base_ms ?? 0) + (b.decode_per_seq_ms ?? 0);
      later(t, () => {
        const text = Array.from({ length: want }, (_, i) => ` t${i}`).join('');
        const choice = chat
          ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'length' }
          : { index: 0, text, finish_reason: 'length' };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ id, model: body.model, choices: [choice], ...(sendUsage ? { usage } : {}) }),
        );
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (chat) res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' } }]));
    let sent = 0;
    let counted = false;
    const stop = () => {
      if (counted) decoding--;
      counted = false;
    };
    const next = () => {
      if (res.destroyed) return stop();
      if (b.break_after !== undefined && sent >= b.break_after) {
        stop();
        res.destroy();
        return;
      }
      if (sent >= want) {
        stop();
        res.write(chunk([{ index: 0, ...(chat ? { delta: {} } : { text: '' }), finish_reason: 'length' }]));
        if (sendUsage) res.write(chunk([], { usage }));
        res.end('data: [DONE]\n\n');
        return;
      }
      res.write(chunk([piece(sent)]));
      sent++;
      if (!counted) {
        counted = true;
        decoding++;
      }
      later(sent >= want ? 0 : step(), next);
    };
    later(prefill, next);
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      raw += d;
    });
    req.on('end', () => serve(req, res, raw));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= new Promise<void>((r) => {
      clearTimeout(lifetime);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => r());
      server.closeAllConnections();
    });
    return closing;
  };
  const lifetime = setTimeout(close, opts.lifetime_ms ?? 60_000);
  lifetime.unref();
  return { url: `http://127.0.0.1:${port}/v1`, port, requests, close };
}
