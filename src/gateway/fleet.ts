/**
 * The gateway's fleet: the scenario's router in front of the scenario's models, on real time. It is wired
 * from the same parts as a run (run/wiring.ts): the registry, (possibly stale) views, the Router with the
 * built-in strategies, the HealthMonitor, probing, presence and the timeline, around a LiveCluster whose
 * `sim` models are simulated on an engine paced by the wall clock (engine/realtime.ts: virtual ms = wall
 * ms since the gateway started) and whose other models are real backends (gguf, openai). So probes,
 * outlier ejection, timeline events, affinity, A/B, fallback and retries behave as in `routesim run`.
 *
 * One Exchange per HTTP request: serve() routes it, submits its attempt, and feeds every outcome back
 * through router.done(); a failed attempt is retried after the router's delay on another model, unless
 * the exchange has already sent bytes to its client (then it is finished as failed: no retry can undo a
 * half-sent answer). Attempt ids are exchange ids (one attempt at a time per exchange).
 *
 * As in a run (run/request-flow.ts), and through the same steps (run/attempts.ts): an attempt still held
 * `router.request_timeout` after it was sent is cancelled at its backend (an upstream request is aborted)
 * and ends as a 'timeout' the router may retry; a `partition` event cuts the gateway (replica 0) off a
 * model: its attempts there fail at once as a connection failure; a client that goes away before its
 * answer is over has its attempt cancelled and ends as an error without the router being told
 * (clientGone: the model did nothing wrong).
 */
import type { AttemptOutcome, AttemptSpec, BackendHost } from '../backends/backend.js';
import { QUOTA_WINDOW_MS } from '../backends/sim/constants.js';
import { Engine, type EventTarget } from '../engine/engine.js';
import { RealtimeLoop } from '../engine/realtime.js';
import { RngStreams } from '../engine/rng.js';
import type { MemoryRegistry } from '../router/memory-views.js';
import type { Router } from '../router/router.js';
import type { Health, OutcomeKind, RouteRequest, RoutingDecision } from '../router/types.js';
import { Attempts, refusalKind } from '../run/attempts.js';
import { K_ATTEMPT_TIMEOUT, K_EJECT_END, K_PROBE, K_REFRESH, K_RETRY, K_TIMELINE } from '../run/events.js';
import { FaultInjector } from '../run/faults.js';
import type { HealthMonitor } from '../run/health.js';
import { type LiveBackend, LiveCluster } from '../run/live-cluster.js';
import type { Presence } from '../run/presence.js';
import { Probing } from '../run/probing.js';
import { Replicas } from '../run/replicas.js';
import { StaleViews } from '../run/stale-views.js';
import { Timeline } from '../run/timeline.js';
import type { Scenario } from '../scenario/types.js';
import type { GatewayMetrics } from './metrics.js';

/** One request being served, as the fleet drives it (gateway/exchange.ts implements it over HTTP). */
export interface Exchange {
  /** Set by the fleet when served. */
  id: number;
  /** Fleet time (ms) of arrival; set by the fleet when served. */
  arrival_ms: number;
  /** Set by the fleet: the model of the current (or last) attempt, -1 before the first. */
  model: number;
  /** Set by the fleet: fleet time (ms) the current attempt was sent. */
  attempt_ms: number;
  /** Set by the fleet: when the current attempt times out (router.request_timeout); Infinity: never. */
  deadline_ms: number;
  readonly req: RouteRequest;
  readonly prompt_tokens: number;
  readonly output_tokens: number;
  /** True once bytes of an answer went out: a failure can no longer be retried. */
  readonly committed: boolean;
  /** An attempt went to model `i` (the decision object is the router's: read it now). */
  routed(i: number, d: RoutingDecision): void;
  /** The current attempt has produced `tokens` tokens; its last is due in `toEnd_ms` (NaN: unknown). */
  progress(tokens: number, toEnd_ms: number): void;
  /** The body and API a proxied attempt sends upstream, asking for `apiModel`. */
  upstream(apiModel: string): { body: Record<string, unknown>; api: 'chat' | 'completions' };
  /** A proxied attempt's upstream message (an SSE `data:` payload, or a whole JSON body), with its tokens. */
  relay(data: string, tokens: number): void;
  /**
   * The request is over: `kind` of its last attempt on model `i` (-1: never routed), with the backend's
   * outcome (null: refused at submit, or rejected by the router with `reason`). `retryAfterMs`: for a
   * 'rate_limited' end, how long the client should wait (its Retry-After); 0 otherwise.
   */
  finish(kind: OutcomeKind, i: number, o: AttemptOutcome | null, reason: string, retryAfterMs: number): void;
}

/** Retry-After of a 429 when no model said how long (ms). */
const DEFAULT_RETRY_AFTER_MS = 1000;
const CLOSE_TIMEOUT_MS = 10_000;

export class Fleet implements EventTarget, BackendHost {
  readonly engine = new Engine();
  readonly loop: RealtimeLoop;
  readonly cluster: LiveCluster;
  readonly registry: MemoryRegistry;
  readonly router: Router;
  readonly health: HealthMonitor;
  readonly ids: readonly string[];
  private readonly probing: Probing;
  private readonly attempts: Attempts;
  private readonly timeline: Timeline;
  private readonly stale: StaleViews | null;
  private readonly presence: Presence;
  private readonly target: number;
  private readonly exchanges = new Map<number, Exchange>();
  private readonly spec: AttemptSpec = { id: 0, prompt_tokens: 0, output_tokens: 0 };
  private nextId = 1;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly metrics: GatewayMetrics | null,
  ) {
    this.loop = new RealtimeLoop(this.engine);
    const streams = new RngStreams(scenario.seed);
    this.ids = scenario.models.map((m) => m.id);
    this.cluster = new LiveCluster(scenario.models, this.engine, this, streams);
    const initial: Health[] = scenario.models.map((m) => m.health);
    const c = this.cluster;
    // As in run/wiring.ts: stale views for signals.refresh, or to freeze one model's view (metrics_stale).
    const periodic = scenario.router.signals.refresh_ms > 0;
    const freezes = scenario.events.some((e) => e.kind === 'metrics_stale');
    this.stale = periodic || freezes ? new StaleViews(this.ids.length, c, c, c, periodic) : null;
    const views = this.stale ?? c;
    // One gateway process is one router replica (run several gateways for several replicas): the same
    // Replicas wiring as a run, with count 1.
    const one: Scenario = { ...scenario, router: { ...scenario.router, replicas: undefined } };
    const rs = new Replicas(
      one,
      this.engine,
      streams,
      { load: views, cache: views, quota: views, stale: periodic ? this.stale : null },
      initial,
      undefined,
    );
    this.router = rs.routers[0];
    this.registry = rs.registries[0];
    this.health = rs.monitors[0];
    this.presence = rs.presences[0];
    this.target = this.engine.register(this);
    const cooldown = scenario.router.outlier_detection.cooldown_ms;
    this.probing = new Probing(this.engine, this.target, c, rs.monitors, this.presence, cooldown);
    this.attempts = new Attempts(this.engine, this.target, rs, c, this.probing);
    const faults = new FaultInjector(this.engine, c, rs.health, this.stale);
    this.timeline = new Timeline(scenario.events, this.engine, c, rs, faults);
  }

  /** Serve model i with a real backend from now on (before start()). */
  setLive(i: number, b: LiveBackend): void {
    this.cluster.setLive(i, b);
  }

  /** The host a real backend of model i reports through (it runs outside the engine). */
  hostFor(i: number): BackendHost {
    return {
      now: () => this.engine.now(),
      complete: (o) => {
        this.loop.catchUp();
        this.cluster.addBusy(i, o.e2e_ms - o.queue_ms);
        this.complete(o);
        const b = this.cluster.live[i];
        if (b && b.state === 'failed') this.markUnhealthy(i);
        this.loop.wake();
      },
      progress: (id, tokens, endAt) => this.progress(id, tokens, endAt),
    };
  }

  /** Mark a model whose process is gone unhealthy now, not after its next failed probes. */
  markUnhealthy(i: number): void {
    const now = this.engine.now();
    if (this.cluster.health(i) === 'unhealthy') return;
    this.cluster.processGone(i, this.health, now, this.scenario.router.probes.unhealthy_after);
  }

  /** Start the clock: timeline events and probes from now on. Call once. */
  start(): void {
    this.timeline.schedule(this.target, Number.POSITIVE_INFINITY);
    const r = this.scenario.router;
    if (r.probes.interval_ms > 0) this.engine.schedule(r.probes.interval_ms, this.target, K_PROBE);
    if (this.stale !== null && r.signals.refresh_ms > 0)
      this.engine.schedule(r.signals.refresh_ms, this.target, K_REFRESH);
    this.running = this.loop.run({ stop: () => this.stopped });
  }

  /** Requests being served. */
  get inFlight(): number {
    return this.exchanges.size;
  }

  /** Route and submit `x` now. */
  serve(x: Exchange): void {
    this.loop.catchUp();
    x.id = this.nextId++;
    x.arrival_ms = this.engine.now();
    x.model = -1;
    x.deadline_ms = Number.POSITIVE_INFINITY;
    this.exchanges.set(x.id, x);
    this.metrics?.inFlight.inc();
    this.dispatch(x);
    this.loop.wake();
  }

  private dispatch(x: Exchange): void {
    const d = this.router.route(x.req);
    if (d.rejected) {
      this.end(x, 'rejected', -1, null, d.reason);
      return;
    }
    const i = d.model_index;
    const m = this.metrics;
    const id = this.ids[i];
    if (m !== null) {
      m.decisions.inc({ source: d.source });
      m.attempts.inc({ model: id });
      if (d.fallback_used) m.fallbacks.inc({ model: id });
    }
    x.model = i;
    x.attempt_ms = this.engine.now();
    x.routed(i, d);
    const a = this.spec;
    a.id = x.id;
    a.prompt_tokens = x.prompt_tokens;
    a.output_tokens = x.output_tokens;
    a.session_id = x.req.session_id;
    const res = this.attempts.send(0, i, a);
    if (res === 'accepted') {
      x.deadline_ms = this.attempts.armTimeout(0, x.id);
      return;
    }
    this.attemptEnded(x, i, refusalKind(res), null);
  }

  /** BackendHost: the simulated models' clock. */
  now(): number {
    return this.engine.now();
  }

  /** BackendHost: an accepted attempt ended (the outcome object may be reused: read it now). */
  complete(o: AttemptOutcome): void {
    const x = this.exchanges.get(o.id);
    if (x === undefined) return; // abandoned at shutdown
    this.attempts.released(0, x.model);
    this.attemptEnded(x, x.model, o.kind, o);
  }

  /** A proxied attempt's request (null: the exchange is gone). */
  upstreamRequest(id: number, apiModel: string) {
    return this.exchanges.get(id)?.upstream(apiModel) ?? null;
  }

  /** A proxied attempt's upstream message. */
  relay(id: number, data: string, tokens: number): void {
    this.exchanges.get(id)?.relay(data, tokens);
  }

  /** BackendHost: streaming progress of an attempt. */
  progress(id: number, tokens: number, endAt: number): void {
    this.exchanges.get(id)?.progress(tokens, endAt - this.engine.now());
  }

  private attemptEnded(x: Exchange, i: number, kind: OutcomeKind, o: AttemptOutcome | null): void {
    x.deadline_ms = Number.POSITIVE_INFINITY;
    if (kind !== 'ok') this.metrics?.errors.inc({ model: this.ids[i], kind });
    // Bytes already sent: finished as it is, not retried.
    if (x.committed && kind !== 'ok') x.req.attempts = Number.POSITIVE_INFINITY;
    const delay = this.attempts.ended(0, x.req, i, kind, o);
    if (delay >= 0) {
      this.metrics?.retries.inc({ model: this.ids[i] });
      this.attempts.retryAfter(delay, x.id);
      return;
    }
    this.end(x, kind, i, o, '');
  }

  private end(x: Exchange, kind: OutcomeKind, i: number, o: AttemptOutcome | null, reason: string): void {
    this.exchanges.delete(x.id);
    this.metrics?.inFlight.dec();
    x.finish(kind, i, o, reason, kind === 'rate_limited' ? this.retryAfterMs(i) : 0);
  }

  /**
   * How long a client told 429 should wait: what model i's server asked for (an upstream's Retry-After),
   * else the rest of its quota window (sim quotas are fixed one-minute windows), else a second.
   */
  private retryAfterMs(i: number): number {
    if (i < 0) return DEFAULT_RETRY_AFTER_MS;
    const wait = this.cluster.live[i]?.retryWaitMs?.() ?? 0;
    if (wait > 0) return wait;
    if (this.scenario.models[i].quota !== null && this.cluster.live[i] === null)
      return QUOTA_WINDOW_MS - (this.engine.now() % QUOTA_WINDOW_MS);
    return DEFAULT_RETRY_AFTER_MS;
  }

  /**
   * The client of `x` went away before its answer was over: its attempt, if one is out, is cancelled at
   * its backend (an upstream request is aborted), and it ends as an error; the router is not told.
   */
  clientGone(x: Exchange): void {
    if (this.exchanges.get(x.id) !== x) return;
    this.loop.catchUp();
    if (x.model >= 0) this.attempts.cancel(0, x.model, x.id);
    this.end(x, 'error', x.model, null, 'the client went away');
    this.loop.wake();
  }

  /** K_ATTEMPT_TIMEOUT: the attempt of exchange `id` is past router.request_timeout, unless it ended since. */
  private attemptTimeout(id: number): void {
    const x = this.exchanges.get(id);
    const now = this.engine.now();
    if (x === undefined || x.model < 0 || x.deadline_ms !== now) return;
    if (!this.attempts.cancel(0, x.model, id)) return;
    this.attemptEnded(x, x.model, 'timeout', this.attempts.timedOut(id, now - x.attempt_ms));
  }

  /** Give up on every request in flight (shutdown after the grace period): each finishes as an error. */
  abandonAll(reason: string): void {
    for (const x of [...this.exchanges.values()]) this.end(x, 'error', x.model, null, reason);
  }

  onEvent(kind: number, arg: number): void {
    const r = this.scenario.router;
    switch (kind) {
      case K_RETRY: {
        const x = this.exchanges.get(arg);
        if (x !== undefined) this.dispatch(x);
        break;
      }
      case K_PROBE:
        this.probing.probeAll();
        if (!this.stopped) this.engine.schedule(r.probes.interval_ms, this.target, K_PROBE);
        break;
      case K_EJECT_END:
        this.probing.ejectEnd(arg);
        break;
      case K_TIMELINE:
        this.timeline.applyAt(arg);
        break;
      case K_ATTEMPT_TIMEOUT:
        this.attemptTimeout(arg);
        break;
      case K_REFRESH:
        this.stale!.refresh();
        if (!this.stopped) this.engine.schedule(r.signals.refresh_ms, this.target, K_REFRESH);
        break;
      default:
        throw new Error(`Fleet: unknown event kind ${kind}`);
    }
  }

  /** Stop the clock (after the requests in flight have finished or been abandoned); idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.loop.wake();
    await this.running;
    // A backend's close waits for its open calls; bounded all the same (as run/live.ts does).
    const bounded = (p: Promise<void>) =>
      Promise.race([p, new Promise<void>((r) => setTimeout(r, CLOSE_TIMEOUT_MS).unref())]);
    await Promise.all(this.cluster.live.map((b) => (b ? bounded(b.close()) : undefined)));
  }
}
