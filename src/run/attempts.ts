/**
 * One attempt's steps, shared by the run's request flow (request-flow.ts) and the gateway's fleet
 * (gateway/fleet.ts), so that both mean the same by each: sending it (a partitioned replica cannot reach the
 * model: a connection failure before the backend sees it), what a refusal at submit counts as, arming
 * `router.request_timeout`, cancelling it (its timeout, or its client gave up), its release (what a
 * replica's local load view counts), the outcome of a timed-out attempt, telling its end to outlier
 * detection and to router.done() (whose answer is the retry delay), and scheduling the retry.
 *
 * The order of the steps stays with each caller, beside its own request state and counting: the flow keeps
 * requests in a RequestTable (typed arrays, a slot per request, engine events carry its tag) and counts in
 * the RunRecorder; the fleet holds an Exchange per HTTP request (engine events carry its id) and counts in
 * Prometheus. Requests are named by `key` (the tag or id engine events carry) and attempts by `id` (the
 * slot or exchange id the backend echoes). Nothing here allocates per attempt: the outcome objects are
 * reused, so read them before the next call.
 */
import type { AttemptOutcome, AttemptSpec, SubmitResult } from '../backends/backend.js';
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine } from '../engine/engine.js';
import type { Outcome, OutcomeKind, RouteRequest } from '../router/types.js';
import { K_ATTEMPT_TIMEOUT, K_RETRY } from './events.js';
import type { Probing } from './probing.js';
import type { Replicas } from './replicas.js';

/** What an attempt refused at submit ends as: rate limited, rejected (queue full), else an error. */
export function refusalKind(res: SubmitResult): OutcomeKind {
  return res === 'rate_limited' ? 'rate_limited' : res === 'queue_full' ? 'rejected' : 'error';
}

export class Attempts {
  /** router.replicas.count > 1: a replica's local load view counts its attempts. */
  private readonly multi: boolean;
  /**
   * The engine's delay stream for attempt timeouts (-1 until the first): each is a constant delay after now, so
   * they come in time order and thousands pending cost the event heap one entry.
   */
  private timeouts = -1;
  /** The outcome of a timed-out attempt (no backend reported one). */
  private readonly timedOutOutcome: AttemptOutcome = {
    id: 0,
    kind: 'timeout',
    queue_ms: 0,
    ttft_ms: Number.NaN,
    e2e_ms: 0,
    output_tokens: 0,
    cached_tokens: 0,
  };
  private readonly outcome: Outcome = {
    model_index: -1,
    kind: 'ok',
    latency_ms: 0,
    ttft_ms: 0,
    client_error: false,
  };

  constructor(
    private readonly engine: Engine,
    /** The engine target that handles K_RETRY and K_ATTEMPT_TIMEOUT (the Driver, the Fleet). */
    private readonly target: number,
    private readonly replicas: Replicas,
    private readonly cluster: SimCluster,
    private readonly probing: Probing,
  ) {
    this.multi = replicas.count > 1;
  }

  /** Send attempt `a` of replica r to model i: the backend's answer, or 'unavailable' while r is cut off i. */
  send(r: number, i: number, a: AttemptSpec): SubmitResult {
    if (!this.replicas.reachable(r, i)) return 'unavailable';
    const res = this.cluster.backend(i).submit(a);
    if (res === 'accepted' && this.multi) this.replicas.sent(r, i);
    return res;
  }

  /**
   * Replica r's attempt for request `key` was just accepted: K_ATTEMPT_TIMEOUT(key) comes at its deadline
   * (now + router.request_timeout), which is returned; Infinity when there is no request_timeout.
   */
  armTimeout(r: number, key: number): number {
    const limit = this.replicas.routers[r].getConfig().request_timeout_ms;
    if (!(limit > 0)) return Number.POSITIVE_INFINITY;
    const at = this.engine.now() + limit;
    if (this.timeouts < 0) this.timeouts = this.engine.delayStream(limit);
    this.engine.scheduleInStream(this.timeouts, at, this.target, K_ATTEMPT_TIMEOUT, key);
    return at;
  }

  /**
   * Model i no longer holds replica r's attempt: the backend reported its end (call this before ended()),
   * or it was cancelled. With replicas, each one's local load view counts what it sent, net of these.
   */
  released(r: number, i: number): void {
    if (this.multi) this.replicas.ended(r, i);
  }

  /**
   * Give up on replica r's attempt `id` on model i (a timeout, or its client went away): false when the
   * backend no longer holds it (it ended, and its outcome was reported); nothing is reported for it after.
   */
  cancel(r: number, i: number, id: number): boolean {
    if (!this.cluster.backend(i).cancel(id)) return false;
    this.released(r, i);
    return true;
  }

  /** The outcome of attempt `id`, cancelled at its request_timeout `e2e_ms` after it was sent (reused). */
  timedOut(id: number, e2e_ms: number): AttemptOutcome {
    const o = this.timedOutOutcome;
    o.id = id;
    o.e2e_ms = e2e_ms;
    return o;
  }

  /**
   * Replica r's attempt on model i for `req` ended as `kind` (`o`: the backend's outcome, its latency and
   * ttft; null for a refusal at submit). Outlier detection counts an error (not the request's own fault) or
   * a timeout against the model; router.done() is told. Returns its retry delay (ms, >= 0: call retryAfter)
   * or -1: the request is over, as `kind`.
   */
  ended(r: number, req: RouteRequest, i: number, kind: OutcomeKind, o: AttemptOutcome | null): number {
    const clientError = o !== null && o.client_error === true;
    this.probing.attemptEnded(r, i, (kind === 'error' && !clientError) || kind === 'timeout');
    const out = this.outcome;
    out.model_index = i;
    out.kind = kind;
    out.client_error = clientError;
    out.latency_ms = o === null ? Number.NaN : o.e2e_ms;
    out.ttft_ms = o === null ? Number.NaN : o.ttft_ms;
    return this.replicas.routers[r].done(req, out);
  }

  /** Route request `key` again `delay_ms` from now: K_RETRY(key) to the target. */
  retryAfter(delay_ms: number, key: number): void {
    this.engine.schedule(delay_ms, this.target, K_RETRY, key);
  }
}
