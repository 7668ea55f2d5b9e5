/**
 * The openai backend: a model served by an OpenAI-compatible HTTP endpoint, on real time. At most
 * `max_concurrency` requests are open to the server at once (the connections stay bounded); attempts
 * beyond them wait in a FIFO queue of at most `max_queue` ('queue_full' beyond). Each attempt streams one
 * request (request-body.ts: a prompt of the attempt's length, exactly its output tokens asked for) and is
 * measured from the moment submit() accepted it: TTFT at the first chunk with text, end-to-end at the end
 * of the stream, output tokens from `usage` or the chunks (client.ts).
 *
 * Outcomes are the router's kinds (outcome.ts). A Retry-After (on a 429, or a 503) is honoured: until it
 * has passed, submit() refuses at once ('rate_limited' after a 429, 'unavailable' otherwise) and queued
 * attempts wait, so the router routes around the model the way it does around a simulated quota. A
 * connection that fails outright (refused, reset, host not found) makes the backend 'unreachable' until
 * a check of `GET {url}/models` gets any HTTP answer: health probes then fail, as they do for a simulated
 * model that is down. Like backends/gguf, this module reads the wall clock: real time is the point.
 */
import { performance } from 'node:perf_hooks';
import type { ModelSpec, OpenAISpec } from '../../core/types.js';
import type { AttemptOutcome, AttemptSpec, Backend, BackendHost, SubmitResult } from '../backend.js';
import { LiveQueue } from '../live-queue.js';
import { openUpstream, type UpstreamEvent, type UpstreamResult, type UpstreamTarget } from './client.js';
import { networkFailure } from './outcome.js';
import { attemptBody } from './request-body.js';

export type OpenAIBackendState = 'ready' | 'unreachable' | 'closed';

export interface OpenAIBackendOptions {
  /** The API key (read by the caller from the variable `api_key_env` names); null: none. */
  api_key?: string | null;
  /** How often an unreachable server is checked again (ms, default 1000). */
  recheck_ms?: number;
  /**
   * A proxy (the gateway) sends its client's request instead of a filler one: the body and API of attempt
   * `id` (null: the filler request of request-body.ts).
   */
  request?: (id: number) => { body: Record<string, unknown>; api: UpstreamTarget['api'] } | null;
  /** A proxy passes each upstream message of attempt `id` on as it arrives (before complete()). */
  relay?: (id: number, ev: UpstreamEvent) => void;
}

const DEFAULT_RECHECK_MS = 1000;
/** HTTP statuses that say the request itself is invalid (not retried elsewhere, not held against the server). */
const CLIENT_ERRORS = new Set([400, 413, 422]);
const CHECK_TIMEOUT_MS = 5000;

interface Job {
  spec: AttemptSpec;
  arrival: number;
  /** Set while the attempt's request is open: aborting it ends the request (cancel()). */
  abort: AbortController | null;
  /** Cancelled: the attempt reports nothing. */
  cancelled: boolean;
}

export class OpenAIBackend implements Backend {
  readonly modelId: string;
  readonly target: UpstreamTarget;
  private readonly cfg: OpenAISpec;
  private stateNow: OpenAIBackendState = 'ready';
  private readonly waiting = new LiveQueue<Job>();
  private running = 0;
  private readonly calls = new Set<Promise<void>>();
  /** performance.now() until which the server asked us to wait (Retry-After), and what we answer till then. */
  private coolUntil = 0;
  private coolAnswer: SubmitResult = 'rate_limited';
  private coolTimer: NodeJS.Timeout | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private lastFailure: string | null = null;
  private lastError: string | null = null;
  /** Attempts reported so far (guarded() tells whether serve() reported before it threw). */
  private reportedCount = 0;
  /** Attempts whose request is open, by id (cancel() aborts them). */
  private readonly open = new Map<number, Job>();
  /** An HTTP endpoint simulates no faults (Backend.faults). */
  readonly faults = null;

  constructor(
    readonly spec: ModelSpec,
    private readonly host: BackendHost,
    private readonly opts: OpenAIBackendOptions = {},
  ) {
    if (!spec.openai) throw new Error(`model ${spec.id}: backend openai needs its openai section (url:)`);
    this.cfg = spec.openai;
    this.modelId = spec.id;
    this.target = { url: this.cfg.url, api: this.cfg.api, api_key: opts.api_key ?? null };
  }

  /** ready | unreachable (probes fail until the server answers again) | closed. */
  get state(): OpenAIBackendState {
    return this.stateNow;
  }

  /** Why the server was last found unreachable, or null. */
  get failure(): string | null {
    return this.lastFailure;
  }

  /** The last failed attempt's kind and reason (e.g. "error: HTTP 503: overloaded"), or null. */
  get lastAttemptError(): string | null {
    return this.lastError;
  }

  /** What is left of the server's last Retry-After (ms); 0 when none is running. */
  retryWaitMs(): number {
    return Math.max(0, this.coolUntil - performance.now());
  }

  /** Shown in notes: the endpoint and the model name sent. */
  get device(): string {
    return `${this.cfg.url} (model ${this.cfg.api_model}, ${this.cfg.api} API)`;
  }

  /**
   * Check once that the server answers HTTP at all (`GET {url}/models`, any status counts): true, or false
   * with the backend 'unreachable' and rechecking in the background. Never throws.
   */
  async check(): Promise<boolean> {
    const why = await this.reach();
    if (why === null) {
      if (this.stateNow === 'unreachable') this.stateNow = 'ready';
      return true;
    }
    this.unreachable(why);
    return false;
  }

  private async reach(): Promise<string | null> {
    const headers: Record<string, string> = {};
    if (this.target.api_key) headers.authorization = `Bearer ${this.target.api_key}`;
    try {
      const res = await fetch(`${this.cfg.url.replace(/\/+$/, '')}/models`, {
        headers,
        signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      return null;
    } catch (err) {
      return networkFailure(err).detail;
    }
  }

  private unreachable(why: string): void {
    if (this.stateNow === 'closed') return;
    this.lastFailure = `${this.cfg.url}: ${why}`;
    this.stateNow = 'unreachable';
    if (this.recheck !== null) return;
    const again = () => {
      this.recheck = setTimeout(async () => {
        const ok = (await this.reach()) === null;
        this.recheck = null;
        if (this.stateNow === 'closed') return;
        if (ok) this.stateNow = 'ready';
        else again();
      }, this.opts.recheck_ms ?? DEFAULT_RECHECK_MS);
      this.recheck.unref();
    };
    again();
  }

  submit(attempt: AttemptSpec): SubmitResult {
    if (this.stateNow === 'closed') return 'unavailable';
    if (performance.now() < this.coolUntil) return this.coolAnswer;
    const job: Job = { spec: { ...attempt }, arrival: performance.now(), abort: null, cancelled: false };
    if (this.running < Math.max(1, this.spec.max_concurrency) && this.queued() === 0) {
      this.start(job);
      return 'accepted';
    }
    if (this.queued() >= this.spec.max_queue) return 'queue_full';
    this.waiting.push(job);
    return 'accepted';
  }

  /**
   * A queued attempt leaves the queue; an open one has its request aborted (the server sees the client go
   * away, as with a client timeout). Either way nothing is reported for it.
   */
  cancel(id: number): boolean {
    if (this.waiting.remove(id)) return true;
    const job = this.open.get(id);
    if (job === undefined || job.cancelled) return false;
    job.cancelled = true;
    job.abort?.abort();
    return true;
  }

  inService(): number {
    return this.running;
  }

  queued(): number {
    return this.waiting.size;
  }

  /** Resolves when nothing is in service or queued. */
  idle(): Promise<void> {
    return this.waiting.idle(this.running);
  }

  /** Stop taking work, fail what is queued, let what is open finish; idempotent. */
  async close(): Promise<void> {
    if (this.stateNow !== 'closed') {
      this.stateNow = 'closed';
      if (this.recheck) clearTimeout(this.recheck);
      if (this.coolTimer) clearTimeout(this.coolTimer);
      for (const job of this.waiting.drain()) this.report(job, performance.now(), null, 'backend closed');
    }
    await Promise.allSettled([...this.calls]);
  }

  private start(job: Job): void {
    this.running++;
    this.open.set(job.spec.id, job);
    const p = this.guarded(job).finally(() => {
      this.open.delete(job.spec.id);
      this.calls.delete(p);
      this.running--;
      this.pump();
    });
    this.calls.add(p);
  }

  /** serve(), reporting the attempt as an error if something in it throws (a proxy's relay callback). */
  private async guarded(job: Job): Promise<void> {
    const reported = this.reportedCount;
    try {
      await this.serve(job);
    } catch (err) {
      if (this.reportedCount === reported && !job.cancelled)
        this.report(job, performance.now(), null, err instanceof Error ? err.message : String(err));
    }
  }

  private pump(): void {
    const cool = this.coolUntil - performance.now();
    if (cool > 0 && this.queued() > 0 && this.stateNow !== 'closed') {
      this.coolTimer ??= setTimeout(() => {
        this.coolTimer = null;
        this.pump();
      }, cool);
    } else {
      while (
        this.stateNow !== 'closed' &&
        this.running < Math.max(1, this.spec.max_concurrency) &&
        this.queued() > 0
      )
        this.start(this.waiting.shift()!);
    }
    this.waiting.settle(this.running);
  }

  private async serve(job: Job): Promise<void> {
    // Never report from inside submit(): the driver has not yet recorded the attempt as accepted.
    await Promise.resolve();
    const a = job.spec;
    const start = performance.now();
    const proxied = this.opts.request?.(a.id) ?? null;
    const body =
      proxied?.body ??
      attemptBody({
        api: this.cfg.api,
        model: this.cfg.api_model,
        prompt_tokens: a.prompt_tokens,
        output_tokens: a.output_tokens,
        offset: Math.abs(a.id),
        hints: this.cfg.ignore_eos,
      });
    const target = proxied ? { ...this.target, api: proxied.api } : this.target;
    if (job.cancelled) return;
    job.abort = new AbortController();
    let r: UpstreamResult;
    try {
      const call = await openUpstream(target, body, {
        timeout_ms: this.cfg.timeout_ms,
        signal: job.abort.signal,
      });
      const relay = this.opts.relay;
      if (relay !== undefined && call.failure === null)
        await call.each((ev) => {
          if (!job.cancelled) relay(a.id, ev);
        });
      r = await call.finish();
    } catch (err) {
      if (job.cancelled) return;
      throw err;
    }
    if (job.cancelled) return;
    if (r.retry_after_ms !== null && r.retry_after_ms > 0) {
      this.coolUntil = Math.max(this.coolUntil, performance.now() + r.retry_after_ms);
      this.coolAnswer = r.kind === 'rate_limited' ? 'rate_limited' : 'unavailable';
    }
    if (r.status === 0 && r.kind === 'error' && r.detail !== 'aborted')
      this.unreachable(r.detail ?? 'no answer');
    this.report(job, start, r, r.detail);
  }

  /** Complete `job`: `r` null when it never went out (closed while queued). */
  private report(job: Job, start: number, r: UpstreamResult | null, detail: string | undefined): void {
    const queue = start - job.arrival;
    const end = r === null ? start : start + r.e2e_ms;
    const kind = r === null ? 'error' : r.kind;
    // An ok answer with no text chunk (an empty completion): its first "token" is its end.
    const first = r === null ? Number.NaN : Number.isNaN(r.ttft_ms) && kind === 'ok' ? r.e2e_ms : r.ttft_ms;
    const o: AttemptOutcome = {
      id: job.spec.id,
      kind,
      queue_ms: queue,
      ttft_ms: Number.isNaN(first) ? Number.NaN : queue + first,
      e2e_ms: end - job.arrival,
      output_tokens: r?.output_tokens ?? 0,
      cached_tokens: 0,
      // The server refused the request itself (bad or too long): another server would too.
      ...(r !== null && CLIENT_ERRORS.has(r.status) ? { client_error: true } : {}),
    };
    if (o.kind !== 'ok') this.lastError = `${o.kind}: ${detail ?? 'no detail'}`;
    this.reportedCount++;
    this.host.complete(o);
  }
}
