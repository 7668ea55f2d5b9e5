/**
 * The HTTP client for OpenAI-compatible servers (vLLM, SGLang, llama.cpp's llama-server, Ollama, hosted
 * APIs): one POST to `/chat/completions` or `/completions`, streamed (SSE, parsed by eventsource-parser) or
 * not, through node:http / node:https with a keep-alive Agent (http.ts), the body's Buffers fed to an
 * eventsource-parser parser; a timer for the timeout and the caller's AbortSignal destroy the request.
 *
 *   const call = await openUpstream(target, body, { timeout_ms });
 *   if (call.failure) ...             // refused, timed out, 429, 5xx: known before any body byte
 *   await call.each((ev) => pass(ev.data));   // each SSE `data:` as it arrives, [DONE] too
 *   // (or: for await (const ev of call.events()) ...; breaking off closes the connection)
 *   const r = await call.finish();    // kind, usage, output tokens, TTFT, inter-token gaps, e2e
 *
 * openUpstream resolves once the response headers are in (or the request failed), so a caller can still
 * retry elsewhere before it sends anything of its own. It never throws for what the server or the network
 * does: every failure is an outcome kind (outcome.ts). Times are performance.now() milliseconds from the
 * call, the wait for a Limiter slot included (reported apart as queue_ms): real time is the point here.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';
import { header, type Posted, parsedUrl, post } from './http.js';
import { errorText, parseJson, textChoices } from './messages.js';
import { networkFailure, retryAfterMs, statusKind } from './outcome.js';
import type {
  UpstreamEvent,
  UpstreamFailure,
  UpstreamOptions,
  UpstreamResult,
  UpstreamTarget,
  Usage,
} from './upstream-types.js';

export type {
  OpenAIApi,
  UpstreamEvent,
  UpstreamFailure,
  UpstreamOptions,
  UpstreamResult,
  UpstreamTarget,
  Usage,
} from './upstream-types.js';

const DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;

/** The request URL for `target`: the base URL with `/chat/completions` or `/completions`. */
function endpointUrl(target: UpstreamTarget): string {
  return `${target.url.replace(/\/+$/, '')}${target.api === 'chat' ? '/chat/completions' : '/completions'}`;
}

/** Send `body` (the JSON request, `stream` decides SSE) and resolve when the response headers are in. */
export async function openUpstream(
  target: UpstreamTarget,
  body: Record<string, unknown>,
  opts: UpstreamOptions = {},
): Promise<UpstreamCall> {
  const call = new UpstreamCall(opts);
  await call.send(target, body);
  return call;
}

/** Longest error body read from a failed response (the rest is dropped). */
const MAX_ERROR_BODY = 64 * 1024;

/** A call in progress (made by openUpstream). */
export class UpstreamCall {
  status = 0;
  headers: IncomingHttpHeaders | null = null;
  failure: UpstreamFailure | null = null;
  /** The response is an SSE stream. */
  streaming = false;

  private readonly t0 = performance.now();
  private queueMs = 0;
  private posted: Posted | null = null;
  private res: IncomingMessage | null = null;
  /** Resolves when the response has ended or closed (set with `res`). */
  private closed: Promise<void> | null = null;
  private ended = false;
  private resError: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private timedOut = false;
  private cancelled = false;
  private release: (() => void) | null = null;
  private gen: AsyncGenerator<UpstreamEvent> | null = null;
  private consuming: Promise<void> | null = null;
  private settled = false;
  private first = Number.NaN;
  private last = Number.NaN;
  private endMs = Number.NaN;
  private readonly itl: number[] = [];
  private chunks = 0;
  private usage: Usage | null = null;
  private streamFailure: { kind: 'error' | 'timeout'; detail: string } | null = null;
  private readonly timeoutMs: number;
  private readonly onCancel = () => {
    this.cancelled = true;
    this.stop();
  };

  constructor(private readonly opts: UpstreamOptions) {
    this.timeoutMs = opts.timeout_ms ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  }

  /** ms since the call began. */
  private now(): number {
    return performance.now() - this.t0;
  }

  /** Destroy the request and the response (timeout, cancel, or the caller broke off). */
  private stop(): void {
    this.posted?.abort();
    this.res?.destroy();
  }

  /** @internal openUpstream's first half. */
  async send(target: UpstreamTarget, body: Record<string, unknown>): Promise<void> {
    if (this.opts.limiter) {
      this.release = await this.opts.limiter.acquire();
      this.queueMs = this.now();
    }
    const sig = this.opts.signal;
    if (sig?.aborted) {
      this.cancelled = true;
      this.failure = { kind: 'error', detail: 'aborted', retry_after_ms: null };
      this.end();
      return;
    }
    sig?.addEventListener('abort', this.onCancel, { once: true });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.stop();
    }, this.timeoutMs);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: body.stream === true ? 'text/event-stream' : 'application/json',
      ...this.opts.headers,
    };
    if (target.api_key) headers.authorization = `Bearer ${target.api_key}`;
    try {
      this.posted = post(parsedUrl(endpointUrl(target)), headers, JSON.stringify(body));
      const res = await this.posted.response;
      this.res = res;
      this.closed = new Promise<void>((resolve) => {
        res.once('end', () => {
          this.ended = true;
          resolve();
        });
        res.once('error', (err) => {
          this.resError ??= err;
        });
        res.once('close', () => resolve());
      });
      // A cancel or timeout that came while the headers were on their way.
      if (this.cancelled || this.timedOut) res.destroy();
      const status = res.statusCode ?? 0;
      this.status = status;
      this.headers = res.headers;
      if (status < 200 || status > 299) {
        const text = await this.text(MAX_ERROR_BODY);
        const h = res.headers;
        this.failure = {
          kind: statusKind(status),
          detail: `HTTP ${status}${errorText(text)}`,
          retry_after_ms: retryAfterMs({ get: (n) => header(h, n) }, Date.now()),
        };
        this.end();
        return;
      }
      this.streaming = (header(res.headers, 'content-type') ?? '').includes('text/event-stream');
    } catch (err) {
      this.failure = { ...this.abortFailure(err), retry_after_ms: null };
      this.end();
    }
  }

  /** The response body as text (at most `max` bytes kept); '' if it broke off. */
  private async text(max = Number.POSITIVE_INFINITY): Promise<string> {
    const res = this.res!;
    const parts: Buffer[] = [];
    let size = 0;
    res.on('data', (b: Buffer) => {
      if (size < max) parts.push(b);
      size += b.length;
    });
    await this.closed;
    return Buffer.concat(parts).toString('utf8');
  }

  private abortFailure(err: unknown): { kind: 'error' | 'timeout'; detail: string } {
    if (this.timedOut) return { kind: 'timeout', detail: `timed out after ${this.timeoutMs} ms` };
    if (this.cancelled) return { kind: 'error', detail: 'aborted' };
    return networkFailure(err);
  }

  /** Stop the call now (the caller no longer wants it); its outcome becomes 'error', detail 'aborted'. */
  abort(): void {
    this.onCancel();
  }

  /**
   * The upstream messages as they arrive, pulled; one generator per call (a second call returns the same
   * one). Breaking off closes the connection. each() is the cheaper way to read them.
   */
  events(): AsyncGenerator<UpstreamEvent> {
    this.gen ??= this.pull();
    return this.gen;
  }

  /**
   * Hand each upstream message to `fn` as it arrives; resolves when the response is over. Rejects only if
   * `fn` throws (the call is then stopped). Read the messages with either this or events(), once.
   */
  each(fn: (ev: UpstreamEvent) => void): Promise<void> {
    this.consuming ??= this.consume(fn);
    return this.consuming;
  }

  /** Read what has not been read, then the result. Resolves once; never rejects. */
  async finish(): Promise<UpstreamResult> {
    if (this.gen !== null)
      for await (const _ of this.gen) {
        // drained
      }
    await this.each(() => {}).catch(() => undefined);
    const f = this.failure ?? this.streamFailure;
    const fromUsage = this.usage !== null;
    return {
      kind: f ? f.kind : 'ok',
      status: this.status,
      ...(f ? { detail: f.detail } : {}),
      retry_after_ms: this.failure?.retry_after_ms ?? null,
      queue_ms: this.queueMs,
      ttft_ms: this.first,
      e2e_ms: this.endMs,
      itl_ms: this.itl,
      output_tokens: fromUsage ? this.usage!.completion_tokens : this.chunks,
      prompt_tokens: fromUsage ? this.usage!.prompt_tokens : Number.NaN,
      tokens_from: fromUsage ? 'usage' : 'chunks',
      usage: this.usage,
      chunks: this.chunks,
    };
  }

  private async *pull(): AsyncGenerator<UpstreamEvent> {
    const q: UpstreamEvent[] = [];
    let head = 0;
    let done = false;
    let wake: (() => void) | null = null;
    const p = this.each((ev) => {
      q.push(ev);
      wake?.();
      wake = null;
    }).finally(() => {
      done = true;
      wake?.();
      wake = null;
    });
    try {
      for (;;) {
        while (head < q.length) yield q[head++];
        if (done) break;
        q.length = 0;
        head = 0;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    } finally {
      if (!done) {
        // The caller broke off: close the connection rather than read on.
        this.streamFailure ??= { kind: 'error', detail: 'the response was not read to its end' };
        this.stop();
      }
      await p.catch(() => undefined);
    }
  }

  /** Read the body, feeding each message to `fn`; the call ends when the response does. */
  private async consume(fn: (ev: UpstreamEvent) => void): Promise<void> {
    const res = this.res;
    if (this.failure || res === null) return;
    /** The response was read to its end (or to its [DONE]). */
    let complete = false;
    let thrown: unknown = null;
    const deliver = (ev: UpstreamEvent) => {
      if (thrown !== null) return;
      try {
        fn(ev);
      } catch (err) {
        thrown = err;
        this.stop();
      }
    };
    if (!this.streaming) {
      const data = await this.text();
      if (this.ended) {
        const t = this.now();
        const json = parseJson(data);
        const tokens = this.take(json, t);
        if (this.chunks === 0 && tokens === 0) this.first = t;
        complete = true;
        deliver({ data, json, tokens, t_ms: t });
      }
    } else {
      let t = 0;
      const parser = createParser({
        onEvent: (msg) => {
          if (msg.data === '[DONE]') {
            complete = true;
            deliver({ data: msg.data, json: null, tokens: 0, t_ms: t });
            return;
          }
          const json = parseJson(msg.data);
          deliver({ data: msg.data, json, tokens: this.take(json, t), t_ms: t });
        },
      });
      const decoder = new StringDecoder('utf8');
      res.on('data', (b: Buffer) => {
        t = this.now();
        parser.feed(decoder.write(b));
      });
      await this.closed;
      if (this.ended) {
        parser.feed(decoder.end());
        complete = true;
      }
    }
    if (!this.ended && this.streamFailure === null)
      this.streamFailure =
        this.resError !== null || this.timedOut || this.cancelled
          ? this.abortFailure(this.resError)
          : { kind: 'error', detail: 'the response was not read to its end' };
    if (!complete && this.streamFailure === null)
      this.streamFailure = { kind: 'error', detail: 'the response was not read to its end' };
    this.end();
    if (thrown !== null) throw thrown;
  }

  /** Count a message's generated text and keep its usage; an `error` object fails the call. */
  private take(json: unknown, t: number): number {
    if (json === null || typeof json !== 'object') return 0;
    const o = json as Record<string, unknown>;
    if (o.error !== undefined && o.error !== null && this.streamFailure === null)
      this.streamFailure = { kind: 'error', detail: `error in the stream${errorText(JSON.stringify(o))}` };
    const u = o.usage as Record<string, unknown> | null | undefined;
    if (u && typeof u.completion_tokens === 'number')
      this.usage = {
        prompt_tokens: typeof u.prompt_tokens === 'number' ? u.prompt_tokens : Number.NaN,
        completion_tokens: u.completion_tokens,
      };
    const tokens = textChoices(o.choices);
    if (tokens > 0) {
      if (Number.isNaN(this.first)) this.first = t;
      else this.itl.push(t - this.last);
      this.last = t;
      this.chunks += tokens;
    }
    return tokens;
  }

  private end(): void {
    if (this.settled) return;
    this.settled = true;
    this.endMs = this.now();
    if (this.timer) clearTimeout(this.timer);
    this.opts.signal?.removeEventListener('abort', this.onCancel);
    this.release?.();
    this.release = null;
  }
}
