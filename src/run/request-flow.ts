/**
 * The path of one request: arrival (pulled lazily from the traffic source) -> route with the real Router ->
 * submit the attempt to model i's backend -> completion fed back through router.done(), which asks for a
 * retry after a delay or lets the request finish. Requests finish as: completed (an ok attempt), failed (an
 * error or timeout with no retry left), rejected (no model could take it, or the last attempt was refused:
 * queue full, rate limited). Timeouts: an attempt still held `router.request_timeout` after it was sent is
 * cancelled at its backend (slot and KV freed, nothing reported) and ends as a 'timeout' (the router may
 * retry it); a request still held `traffic.client_timeout` after it arrived gives up: its attempt, if any,
 * is cancelled and it fails as timed out (no retry; the router is not told). A timeout at the same instant
 * as the attempt's end wins (it was scheduled first). The flow also knows when the run is over: the source is exhausted and no
 * request is held.
 *
 * Per-request state lives in a RequestTable (typed arrays + free list); a slot is freed when its request
 * finishes, so memory follows the number in flight. Nothing is allocated per request or attempt. The
 * attempt's steps (send, timeout, cancel, what the router is told, retry) are attempts.ts's, shared with
 * the gateway; the order of them and the counting are here.
 */
import type { AttemptOutcome, AttemptSpec, BackendHost } from '../backends/backend.js';
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine } from '../engine/engine.js';
import type { OkAttempt, RunRecorder } from '../metrics/recorder.js';
import type { OutcomeKind } from '../router/types.js';
import type { ArrivalRecord, RequestSource } from '../traffic/source.js';
import { Attempts, refusalKind } from './attempts.js';
import { K_ARRIVAL, K_CLIENT_TIMEOUT } from './events.js';
import type { Probing } from './probing.js';
import type { Replicas } from './replicas.js';
import { F_FALLBACK, F_RETRIED, RequestTable } from './requests.js';

export interface RequestFlowParts {
  engine: Engine;
  /** The Driver's engine target id: arrivals and retries are scheduled to it. */
  target: number;
  /** The router replicas (one without router.replicas): each request stays with the one it was given. */
  replicas: Replicas;
  cluster: SimCluster;
  source: RequestSource;
  recorder: RunRecorder;
  probing: Probing;
  horizon_ms: number;
  /** traffic.client_timeout (ms); 0 = none. */
  client_timeout_ms: number;
}

export class RequestFlow implements BackendHost {
  readonly table = new RequestTable();
  private readonly engine: Engine;
  private readonly target: number;
  private readonly replicas: Replicas;
  /** router.replicas.count > 1: per-replica bookkeeping (split, decisions) is needed. */
  private readonly multi: boolean;
  private readonly attempts: Attempts;
  private readonly source: RequestSource;
  private readonly rec: RunRecorder;
  private readonly horizon: number;
  private readonly clientLimit: number;
  /** The recorder's perRequest, read once. */
  private readonly perRequest: boolean;
  /**
   * The engine's delay stream for client timeouts (-1 until the first): each is a constant delay after now, so
   * they come in time order and thousands pending cost the event heap one entry.
   */
  private clientTimeouts = -1;
  /** The next arrival (already pulled from the source), or null when the source is exhausted. */
  private pending: ArrivalRecord | null = null;
  private exhausted = false;
  private finished = false;
  /** Virtual time the last request finished, once done. */
  endT = 0;
  private readonly spec: AttemptSpec = {
    id: 0,
    prompt_tokens: 0,
    output_tokens: 0,
    prefix_blocks: undefined,
    block_tokens: undefined,
    session_id: undefined,
  };
  /**
   * The latest ok attempt, handed to the recorder and overwritten per call; an ok attempt finishes its
   * request (finish() runs next), whose stage reads it.
   */
  private readonly ok: OkAttempt = {
    model: 0,
    e2e_ms: Number.NaN,
    ttft_ms: Number.NaN,
    queue_ms: Number.NaN,
    start: Number.NaN,
    hit: false,
    tpot_ms: Number.NaN,
  };

  constructor(p: RequestFlowParts) {
    this.engine = p.engine;
    this.target = p.target;
    this.replicas = p.replicas;
    this.multi = p.replicas.count > 1;
    this.attempts = new Attempts(p.engine, p.target, p.replicas, p.cluster, p.probing);
    this.source = p.source;
    this.rec = p.recorder;
    this.horizon = p.horizon_ms;
    this.clientLimit = p.client_timeout_ms;
    this.perRequest = p.recorder.perRequest;
  }

  /** The source is exhausted and every request is accounted for: the run is over. */
  get done(): boolean {
    return this.finished;
  }

  /** Schedule the first arrival (and end at once when there is none). Call once, before engine.run(). */
  start(): void {
    this.pullNext();
    this.checkFinished();
  }

  /** BackendHost: the engine's virtual time. */
  now(): number {
    return this.engine.now();
  }

  private pullNext(): void {
    const r = this.source.next();
    if (r === null || !(r.t_ms <= this.horizon)) {
      this.pending = null;
      if (!this.exhausted) {
        this.exhausted = true;
        this.source.close?.();
      }
      return;
    }
    this.pending = r;
    const now = this.engine.now();
    this.engine.scheduleLaneAt(Math.max(r.t_ms, now), this.target, K_ARRIVAL, 0);
  }

  /** K_ARRIVAL: the pending arrival is due. */
  arrive(): void {
    const r = this.pending!;
    const t = this.table;
    const slot = t.alloc();
    t.arrival[slot] = this.engine.now();
    t.prompt[slot] = r.prompt_tokens;
    t.output[slot] = r.output_tokens;
    t.blockTokens[slot] = r.block_tokens ?? 0;
    t.stage[slot] = r.stage ?? -1;
    const req = t.req[slot];
    req.estimated_tokens = r.prompt_tokens + r.output_tokens;
    req.session_id = r.session_id;
    req.preferred_model = r.preferred_model;
    req.capabilities = r.capabilities;
    req.tags = r.tags;
    req.prefix_blocks = r.prefix_blocks;
    req.priority = r.priority;
    t.replica[slot] = this.multi ? this.replicas.assign(r.session_id) : 0;
    this.rec.arrived(this.engine.now());
    // Rarely needed work in a function of its own, so that this one stays small enough to inline.
    if (r.stage !== undefined || this.clientLimit > 0) this.arrivedExtras(slot, r.stage);
    // Pull the next one only after copying this one: sources may reuse the record object.
    this.pullNext();
    this.dispatch(slot);
  }

  /** arrive() for traffic in stages or with a client timeout. */
  private arrivedExtras(slot: number, stage: number | undefined): void {
    if (stage !== undefined) this.rec.stageArrived(stage);
    if (this.clientLimit > 0) {
      if (this.clientTimeouts < 0) this.clientTimeouts = this.engine.delayStream(this.clientLimit);
      const at = this.engine.now() + this.clientLimit;
      this.engine.scheduleInStream(
        this.clientTimeouts,
        at,
        this.target,
        K_CLIENT_TIMEOUT,
        this.table.tag(slot),
      );
    }
  }

  /** K_RETRY: route the request again (unless it gave up meanwhile). */
  retry(tag: number): void {
    if (this.table.valid(tag)) this.dispatch(this.table.slotOf(tag));
  }

  /** K_ATTEMPT_TIMEOUT: the request's attempt ran out of time, unless it ended or was retried since. */
  attemptTimeout(tag: number): void {
    const t = this.table;
    const slot = t.slotOf(tag);
    const now = this.engine.now();
    if (!t.valid(tag) || t.model[slot] < 0 || t.deadline[slot] !== now) return;
    const i = t.model[slot];
    if (!this.attempts.cancel(t.replica[slot], i, slot)) return;
    const start = t.attemptStart[slot];
    this.rec.attemptFailed(i, now, start, 0);
    this.attemptEnded(slot, i, 'timeout', this.attempts.timedOut(slot, now - start));
  }

  /** K_CLIENT_TIMEOUT: the client gives up on the request (its attempt, if one is out, is cancelled). */
  clientTimeout(tag: number): void {
    const t = this.table;
    if (!t.valid(tag)) return;
    const slot = t.slotOf(tag);
    const i = t.model[slot];
    if (i >= 0) this.attempts.cancel(t.replica[slot], i, slot);
    this.finish(slot, 'timeout');
  }

  /** Route the request in `slot` and submit its attempt. */
  dispatch(slot: number): void {
    const t = this.table;
    const req = t.req[slot];
    const r = t.replica[slot];
    const router = this.replicas.routers[r];
    const d = router.route(req);
    const now = this.engine.now();
    t.attempted[slot] = d.attempted_models;
    if (d.rejected) {
      this.finish(slot, 'rejected');
      return;
    }
    const i = d.model_index;
    if (d.fallback_used) {
      const first = (t.flags[slot] & F_FALLBACK) === 0;
      t.flags[slot] |= F_FALLBACK;
      this.rec.fallback(now, first);
    }
    this.rec.routed(i, now);
    if (this.multi) this.replicas.routed(r, i);
    t.model[slot] = i;
    t.attemptStart[slot] = now;
    const a = this.spec;
    a.id = slot;
    a.prompt_tokens = t.prompt[slot];
    a.output_tokens = t.output[slot];
    a.prefix_blocks = req.prefix_blocks as readonly number[] | undefined;
    a.block_tokens = t.blockTokens[slot] > 0 ? t.blockTokens[slot] : undefined;
    a.session_id = req.session_id;
    const res = this.attempts.send(r, i, a);
    if (res === 'accepted') {
      t.deadline[slot] = this.attempts.armTimeout(r, t.tag(slot));
      return;
    }
    // Refused at submit: nothing is out.
    this.rec.refused(i);
    this.attemptEnded(slot, i, refusalKind(res), null);
  }

  /** BackendHost: an accepted attempt ended (the outcome object is reused: read it now). */
  complete(o: AttemptOutcome): void {
    const slot = o.id;
    const t = this.table;
    const i = t.model[slot];
    const start = t.attemptStart[slot];
    this.attempts.released(t.replica[slot], i);
    if (o.kind === 'ok') {
      // Request-level: from the request's arrival, so a retry's delay and failed attempts count.
      const lead = start - t.arrival[slot];
      const a = this.ok;
      a.model = i;
      a.e2e_ms = lead + o.e2e_ms;
      a.ttft_ms = lead + o.ttft_ms;
      a.queue_ms = o.queue_ms;
      a.start = start;
      a.hit = o.cached_tokens > 0;
      a.tpot_ms = o.output_tokens > 1 ? (o.e2e_ms - o.ttft_ms) / (o.output_tokens - 1) : Number.NaN;
      this.rec.attemptOk(a);
      if (this.perRequest) this.rec.cacheTokens(start, t.prompt[slot], o.cached_tokens);
    } else {
      // An unhealthy model's fast error never queued (its queue_ms is not meaningful).
      this.rec.attemptFailed(i, this.engine.now(), start, o.detail === undefined ? o.queue_ms : 0);
    }
    this.attemptEnded(slot, i, o.kind, o);
  }

  /** `o`: the backend's outcome (its latency and ttft), null for a refused submit (no latency). */
  private attemptEnded(slot: number, i: number, kind: OutcomeKind, o: AttemptOutcome | null): void {
    const t = this.table;
    const delay = this.attempts.ended(t.replica[slot], t.req[slot], i, kind, o);
    if (delay >= 0) {
      t.model[slot] = -1;
      const first = (t.flags[slot] & F_RETRIED) === 0;
      t.flags[slot] |= F_RETRIED;
      this.rec.retried(this.engine.now(), first);
      this.attempts.retryAfter(delay, t.tag(slot));
      return;
    }
    this.finish(slot, kind);
  }

  private finish(slot: number, kind: OutcomeKind): void {
    const t = this.table;
    if (t.attempted[slot] > 0) this.rec.attempted(t.attempted[slot]);
    const failed = kind === 'error' || kind === 'timeout';
    if (kind === 'ok') this.rec.requestCompleted(this.engine.now());
    else if (failed) this.rec.requestFailed(kind === 'timeout');
    else this.rec.requestRejected(this.engine.now());
    if (this.perRequest) this.rec.requestFinished(t.arrival[slot], this.engine.now(), kind === 'ok');
    const stage = t.stage[slot];
    if (stage >= 0) {
      const k = kind === 'ok' ? 'ok' : failed ? 'failed' : 'rejected';
      const ok = this.ok;
      this.rec.stageFinished(stage, k, ok.e2e_ms, ok.ttft_ms, ok.tpot_ms);
    }
    t.release(slot);
    if (this.exhausted) this.checkFinished();
  }

  private checkFinished(): void {
    if (this.exhausted && this.table.used === 0 && !this.finished) {
      this.finished = true;
      this.endT = this.engine.now();
      this.engine.stop();
    }
  }
}
