/**
 * One HTTP request served through the fleet: the Exchange the fleet drives, answering with a Response
 * (`response`) that resolves only when something final is known — the first token of a stream (status 200,
 * SSE), the whole answer (JSON), or an error (OpenAI-style JSON, right status) — so that every failure before
 * the first byte can still be retried elsewhere. A stream paces its placeholder tokens between the first
 * token and the end the backend announced (BackendHost.progress), writes the final chunk with
 * `finish_reason`, a usage chunk when `stream_options.include_usage` is set, then `data: [DONE]`.
 * Times for the metrics are wall times as the client sees them (first byte, last byte). A stream is
 * written straight to Node's ServerResponse (no web stream in between: they cost more than the routing).
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { AttemptOutcome } from '../backends/backend.js';
import type { OutcomeKind, RouteRequest, RoutingDecision } from '../router/types.js';
import type { ArrivalRecord } from '../traffic/source.js';
import type { Exchange } from './fleet.js';
import type { GatewayMetrics } from './metrics.js';
import {
  ApiError,
  type ApiRequest,
  answerJson,
  chunkJson,
  errorBody,
  type ResponseHead,
  tokenText,
  usageOf,
} from './openai-api.js';

/** What an exchange reports to, shared by every exchange of one gateway. */
export interface ExchangeContext {
  ids: readonly string[];
  metrics: GatewayMetrics;
  /** Called once per finished request with its trace row (absent: not recording). */
  record: ((row: ArrivalRecord) => void) | null;
  /** Called when a client goes away before its answer is over (the fleet cancels its attempt). */
  gone: ((x: Exchange) => void) | null;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};
const JSON_HEADERS = { 'content-type': 'application/json' };
let idCounter = 0;

/** The error a request that failed before its first byte gets. */
function failure(kind: OutcomeKind, reason: string): ApiError {
  switch (kind) {
    case 'rate_limited':
      return new ApiError(
        429,
        'the model is rate limited; try again later',
        'rate_limit_error',
        null,
        'rate_limited',
      );
    case 'timeout':
      return new ApiError(504, 'the model timed out', 'server_error', null, 'timeout');
    case 'rejected':
      return new ApiError(
        503,
        `no model can serve this request${reason ? `: ${reason}` : ''}`,
        'server_error',
        null,
        'no_model_available',
      );
    default:
      return new ApiError(
        502,
        `the model failed${reason ? `: ${reason}` : ''}`,
        'server_error',
        null,
        'upstream_error',
      );
  }
}

/** `e` as an OpenAI-style JSON error; a 429 with `retryAfterMs` carries Retry-After (whole seconds, >= 1). */
export function errorResponse(e: ApiError, retryAfterMs = 0): Response {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (e.status === 429 && retryAfterMs > 0)
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return new Response(errorBody(e), { status: e.status, headers });
}

export class HttpExchange implements Exchange {
  id = 0;
  arrival_ms = 0;
  model = -1;
  attempt_ms = 0;
  deadline_ms = Number.POSITIVE_INFINITY;
  readonly req: RouteRequest;
  readonly prompt_tokens: number;
  readonly output_tokens: number;
  committed = false;
  readonly response: Promise<Response>;
  private resolve!: (r: Response) => void;
  private readonly head: ResponseHead;
  private gone = false;
  /** finish() has run. */
  private over = false;
  private sent = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly t0 = performance.now();
  private firstAt = Number.NaN;

  constructor(
    private readonly api: ApiRequest,
    private readonly ctx: ExchangeContext,
    private readonly out: ServerResponse,
    session: string | undefined,
    preferred: string | undefined,
  ) {
    this.prompt_tokens = api.prompt_tokens;
    this.output_tokens = api.max_tokens;
    this.req = {
      estimated_tokens: api.prompt_tokens + api.max_tokens,
      session_id: session,
      preferred_model: preferred,
      attempts: 0,
      tried: [],
    };
    this.head = {
      kind: api.kind,
      id: `${api.kind === 'chat' ? 'chatcmpl' : 'cmpl'}-rs${(idCounter++).toString(36)}`,
      created: Math.floor(Date.now() / 1000),
      model: api.model,
    };
    this.response = new Promise((r) => {
      this.resolve = r;
    });
    out.once('close', () => {
      this.gone = true;
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      // Closed before the answer was over: the client went away.
      if (!this.over) this.ctx.gone?.(this);
    });
  }

  /** A proxied answer: the upstream's whole body (not streamed), and whether its stream sent [DONE]. */
  private relayed: string | null = null;
  private relayedDone = false;

  routed(_i: number, _d: RoutingDecision): void {
    this.relayed = null;
  }

  upstream(apiModel: string) {
    return { body: { ...this.api.body, model: apiModel }, api: this.api.kind };
  }

  relay(data: string, tokens: number): void {
    if (!this.api.stream) {
      this.relayed = data;
      return;
    }
    this.open();
    if (tokens > 0 && Number.isNaN(this.firstAt)) this.firstAt = performance.now();
    this.relayed = '';
    if (data === '[DONE]') this.relayedDone = true;
    this.write(`data: ${data}\n\n`);
  }

  progress(tokens: number, toEnd_ms: number): void {
    if (!this.api.stream) return;
    this.open();
    const last = this.output_tokens - 1; // the last token goes out with finish()
    this.writeTokens(Math.min(tokens, last));
    if (this.sent >= last || !Number.isFinite(toEnd_ms)) return;
    // Pace the rest evenly until the announced end (fleet ms = wall ms).
    const from = performance.now();
    const gap = Math.max(0, toEnd_ms) / (this.output_tokens - tokens);
    const base = this.sent;
    const tick = () => {
      this.timer = null;
      const due = base + Math.floor((performance.now() - from) / gap);
      this.writeTokens(Math.min(due, last));
      if (this.sent < last && !this.gone) this.timer = setTimeout(tick, Math.max(1, gap));
    };
    if (gap > 0) this.timer = setTimeout(tick, Math.max(1, gap));
    else this.writeTokens(last);
  }

  finish(kind: OutcomeKind, i: number, o: AttemptOutcome | null, reason: string, retryAfterMs = 0): void {
    this.over = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const ok = kind === 'ok' && o !== null;
    const produced = ok ? o.output_tokens : 0;
    const model = i >= 0 ? this.ctx.ids[i] : 'none';
    const m = this.ctx.metrics;
    m.requests.inc({ model, outcome: kind });
    this.ctx.record?.({
      t_ms: Math.round(this.arrival_ms * 1000) / 1000,
      prompt_tokens: this.prompt_tokens,
      output_tokens: ok ? produced : this.output_tokens,
      ...(this.req.session_id !== undefined ? { session_id: this.req.session_id } : {}),
      ...(this.req.preferred_model !== undefined ? { preferred_model: this.req.preferred_model } : {}),
      tags: [`model:${model}`, `outcome:${kind}`],
    });
    if (!ok) {
      const e = failure(kind, reason || o?.detail || '');
      if (!this.committed) this.resolve(errorResponse(e, retryAfterMs));
      else this.endStream(`data: ${errorBody(e)}\n\ndata: [DONE]\n\n`);
      return;
    }
    if (this.relayed !== null) {
      // Proxied: the upstream's answer went (or goes) through as it was.
      this.observe(model, produced);
      if (this.api.stream) this.endStream(this.relayedDone ? '' : 'data: [DONE]\n\n');
      else {
        this.committed = true;
        this.resolve(new Response(this.relayed, { headers: JSON_HEADERS }));
      }
      return;
    }
    const usage = usageOf(this.prompt_tokens, produced);
    if (!this.api.stream) {
      this.committed = true;
      const text = produced > 0 ? tokenText(0) + tokenText(1).repeat(produced - 1) : '';
      this.observe(model, produced);
      this.resolve(new Response(answerJson(this.head, text, 'length', usage), { headers: JSON_HEADERS }));
      return;
    }
    this.open();
    this.writeTokens(produced);
    this.observe(model, produced);
    let tail = `data: ${chunkJson(this.head, null, 'length', null)}\n\n`;
    if (this.api.include_usage) tail += `data: ${chunkJson(this.head, null, null, usage)}\n\n`;
    this.endStream(`${tail}data: [DONE]\n\n`);
  }

  private observe(model: string, produced: number): void {
    const now = performance.now();
    const first = Number.isNaN(this.firstAt) ? now : this.firstAt;
    const m = this.ctx.metrics;
    m.ttft.observe({ model }, (first - this.t0) / 1000);
    m.e2e.observe({ model }, (now - this.t0) / 1000);
    if (produced > 1) m.itl.observe({ model }, (now - first) / 1000 / (produced - 1));
  }

  /** Start the SSE response (status 200) if it has not started. */
  private open(): void {
    if (this.committed) return;
    this.committed = true;
    this.out.writeHead(200, SSE_HEADERS);
    this.resolve(RESPONSE_ALREADY_SENT);
  }

  /** Write content chunks until `upto` tokens have been sent. */
  private writeTokens(upto: number): void {
    if (upto <= this.sent) return;
    if (Number.isNaN(this.firstAt)) this.firstAt = performance.now();
    let s = '';
    for (let k = this.sent; k < upto; k++)
      s += `data: ${chunkJson(this.head, tokenText(k), null, null, k === 0)}\n\n`;
    this.sent = upto;
    this.write(s);
  }

  /** Writes within one tick go out as one packet (corked until the next tick). */
  private write(s: string): void {
    const out = this.out;
    if (this.gone || out.destroyed) return;
    if (out.writableCorked === 0) {
      out.cork();
      process.nextTick(() => out.uncork());
    }
    out.write(s);
  }

  private endStream(s: string): void {
    if (!this.gone && !this.out.destroyed) this.out.end(s);
    this.gone = true;
  }
}
