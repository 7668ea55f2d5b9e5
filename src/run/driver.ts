/**
 * The simulation driver: one engine target that pulls arrivals lazily from the traffic source, routes each
 * request with the real Router, submits attempts to the simulated backends, feeds outcomes back through
 * router.done() (retrying after the delay it asks for), runs the health checks and the scenario timeline,
 * refreshes stale signals, and streams everything into RunMetrics.
 *
 * Per-request state lives in a RequestTable (typed arrays + free list); a request's slot is freed when it
 * finishes, so memory follows the number in flight. Events are typed records (kind, arg): no closure per
 * event. Requests finish as: completed (an ok attempt), failed (an error or timeout with no retry left),
 * rejected (no model could take it, or the last attempt was refused: queue full, rate limited).
 */
import type { AttemptOutcome, AttemptSpec, BackendHost } from '../backends/backend.js';
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine, EventTarget } from '../engine/engine.js';
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { MemoryRegistry } from '../router/memory-views.js';
import type { Router } from '../router/router.js';
import type { Health, Outcome, OutcomeKind } from '../router/types.js';
import type { Scenario, ScenarioEvent } from '../scenario/types.js';
import type { ArrivalRecord, RequestSource } from '../traffic/source.js';
import type { HealthMonitor } from './health.js';
import { Presence } from './presence.js';
import { F_FALLBACK, F_RETRIED, RequestTable } from './requests.js';
import type { StaleViews } from './stale-views.js';

const K_ARRIVAL = 0;
const K_RETRY = 1;
const K_PROBE = 2;
const K_EJECT_END = 3;
const K_TIMELINE = 4;
const K_REFRESH = 5;
const K_SAMPLE = 6;

const HEALTH_VALUE: Record<Health, number> = { healthy: 1, degraded: 0.5, unhealthy: 0 };

export interface DriverParts {
  scenario: Scenario;
  engine: Engine;
  router: Router;
  registry: MemoryRegistry;
  cluster: SimCluster;
  source: RequestSource;
  metrics: RunMetrics;
  health: HealthMonitor;
  stale: StaleViews | null;
}

export class Driver implements EventTarget, BackendHost {
  private readonly s: Scenario;
  private readonly engine: Engine;
  private readonly router: Router;
  private readonly cluster: SimCluster;
  private readonly source: RequestSource;
  private readonly m: RunMetrics;
  private readonly health: HealthMonitor;
  private readonly stale: StaleViews | null;
  /** Which models are in the router's pool (timeline add/remove). */
  private readonly presence: Presence;
  private readonly id: number;
  private readonly n: number;
  private readonly horizon: number;
  readonly table = new RequestTable();

  /** The next arrival (already pulled from the source), or null when the source is exhausted. */
  private pending: ArrivalRecord | null = null;
  private exhausted = false;
  private finished = false;
  /** Virtual time the run ended (the horizon, or when the last request finished). */
  endT = 0;
  /** The timeline bucket of the current time, and where it ends (time only moves forward). */
  private bucket = 0;
  private bucketEnd: number;
  private readonly spec: AttemptSpec = {
    id: 0,
    prompt_tokens: 0,
    output_tokens: 0,
    prefix_blocks: undefined,
    block_tokens: undefined,
    session_id: undefined,
  };
  private readonly outcome: Outcome = { model_index: -1, kind: 'ok', latency_ms: 0, ttft_ms: 0 };
  /** Values on their way into histograms (Histogram.recordAt: no boxed double per call). */
  private readonly vals = new Float64Array(4);

  constructor(p: DriverParts) {
    this.s = p.scenario;
    this.engine = p.engine;
    this.router = p.router;
    this.cluster = p.cluster;
    this.source = p.source;
    this.m = p.metrics;
    this.health = p.health;
    this.stale = p.stale;
    this.presence = new Presence(p.scenario.models, p.registry, p.health);
    this.n = p.scenario.models.length;
    this.horizon = p.scenario.horizon_ms;
    this.id = p.engine.register(this);
    this.bucketEnd = p.metrics.interval_ms;
  }

  /** The timeline bucket that holds now. */
  private bucketNow(): number {
    const now = this.engine.now();
    if (now >= this.bucketEnd) {
      const iv = this.m.interval_ms;
      this.bucket = Math.floor(now / iv);
      this.bucketEnd = (this.bucket + 1) * iv;
    }
    return this.bucket;
  }

  /** BackendHost: the engine's virtual time. */
  now(): number {
    return this.engine.now();
  }

  /** Schedule the first arrival, the periodic checks and the timeline. Call once, before engine.run(). */
  start(): void {
    const e = this.engine;
    const s = this.s;
    // Timeline first: a change at time t applies before an arrival at the same t (ties run in order).
    s.events.forEach((ev, k) => {
      if (ev.at_ms <= this.horizon) e.scheduleAt(ev.at_ms, this.id, K_TIMELINE, k);
    });
    this.pullNext();
    if (s.router.probes.interval_ms > 0) this.schedulePeriodic(s.router.probes.interval_ms, K_PROBE);
    if (this.stale !== null) this.schedulePeriodic(s.router.signals.refresh_ms, K_REFRESH);
    this.schedulePeriodic(this.m.interval_ms, K_SAMPLE);
    this.checkFinished();
  }

  /** The run's requests are all accounted for and no more will arrive. */
  get done(): boolean {
    return this.finished;
  }

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_ARRIVAL:
        this.arrive();
        break;
      case K_RETRY:
        this.dispatch(arg);
        break;
      case K_PROBE:
        this.probeAll();
        this.schedulePeriodic(this.s.router.probes.interval_ms, K_PROBE);
        break;
      case K_EJECT_END:
        if (!this.presence.isAbsent(arg)) this.health.ejectEnd(arg, this.engine.now());
        break;
      case K_TIMELINE:
        this.applyEvent(this.s.events[arg]);
        break;
      case K_REFRESH:
        this.stale!.refresh();
        this.schedulePeriodic(this.s.router.signals.refresh_ms, K_REFRESH);
        break;
      case K_SAMPLE:
        this.sample(Math.round(this.engine.now() / this.m.interval_ms) - 1);
        this.schedulePeriodic(this.m.interval_ms, K_SAMPLE);
        break;
      default:
        throw new Error(`Driver: unknown event kind ${kind}`);
    }
  }

  private schedulePeriodic(period: number, kind: number): void {
    if (this.finished) return;
    const at = this.engine.now() + period;
    if (at <= this.horizon) this.engine.scheduleAt(at, this.id, kind, 0);
  }

  // ---- arrivals ----

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
    this.engine.scheduleLaneAt(Math.max(r.t_ms, now), this.id, K_ARRIVAL, 0);
  }

  private arrive(): void {
    const r = this.pending!;
    const t = this.table;
    const slot = t.alloc();
    const now = this.engine.now();
    t.arrival[slot] = now;
    t.prompt[slot] = r.prompt_tokens;
    t.output[slot] = r.output_tokens;
    t.blockTokens[slot] = r.block_tokens ?? 0;
    const req = t.req[slot];
    req.estimated_tokens = r.prompt_tokens + r.output_tokens;
    req.session_id = r.session_id;
    req.preferred_model = r.preferred_model;
    req.capabilities = r.capabilities;
    req.tags = r.tags;
    req.prefix_blocks = r.prefix_blocks;
    req.priority = r.priority;
    this.m.total++;
    this.m.arrivals.addAt(this.bucketNow());
    // Pull the next one only after copying this one: sources may reuse the record object.
    this.pullNext();
    this.dispatch(slot);
  }

  // ---- routing and attempts ----

  private dispatch(slot: number): void {
    const t = this.table;
    const m = this.m;
    const req = t.req[slot];
    const d = this.router.route(req);
    const b = this.bucketNow();
    t.attempted[slot] = d.attempted_models;
    if (d.rejected) {
      this.finish(slot, 'rejected');
      return;
    }
    const i = d.model_index;
    if (d.fallback_used) {
      m.fallbackDecisions++;
      m.fallbacks.addAt(b);
      if ((t.flags[slot] & F_FALLBACK) === 0) {
        t.flags[slot] |= F_FALLBACK;
        m.fallbackRequests++;
      }
    }
    const mm = m.models[i];
    mm.routed++;
    mm.routedSeries.addAt(b);
    t.model[slot] = i;
    t.attemptStart[slot] = this.engine.now();
    t.attemptBucket[slot] = b;
    const a = this.spec;
    a.id = slot;
    a.prompt_tokens = t.prompt[slot];
    a.output_tokens = t.output[slot];
    a.prefix_blocks = req.prefix_blocks as readonly number[] | undefined;
    a.block_tokens = t.blockTokens[slot] > 0 ? t.blockTokens[slot] : undefined;
    a.session_id = req.session_id;
    const res = this.cluster.backend(i).submit(a);
    if (res === 'accepted') return;
    mm.refused++;
    this.attemptEnded(
      slot,
      i,
      res === 'rate_limited' ? 'rate_limited' : res === 'queue_full' ? 'rejected' : 'error',
      null,
    );
  }

  /** BackendHost: an accepted attempt ended (the outcome object is reused: read it now). */
  complete(o: AttemptOutcome): void {
    const slot = o.id;
    const t = this.table;
    const i = t.model[slot];
    const mm = this.m.models[i];
    const start = t.attemptStart[slot];
    if (o.kind === 'ok') {
      mm.ok++;
      // Request-level: from the request's arrival, so a retry's delay and failed attempts count.
      const lead = start - t.arrival[slot];
      const v = this.vals;
      v[0] = lead + o.e2e_ms;
      v[1] = lead + o.ttft_ms;
      v[2] = o.queue_ms;
      mm.e2e.recordAt(v, 0);
      mm.ttft.recordAt(v, 1);
      mm.queue.recordAt(v, 2);
      if (o.output_tokens > 1) {
        v[3] = (o.e2e_ms - o.ttft_ms) / (o.output_tokens - 1);
        this.m.tpot.recordAt(v, 3);
      }
      const b = t.attemptBucket[slot];
      mm.cacheLookups.addAt(b);
      if (o.cached_tokens > 0) mm.cacheHits.addAt(b);
      if (o.queue_ms > 0) mm.queuedArea.addSpan(start, start + o.queue_ms);
    } else {
      mm.failed++;
      this.m.errors.addAt(this.bucketNow());
      // An unhealthy model's fast error never queued (its queue_ms is not meaningful).
      if (o.queue_ms > 0 && o.detail === undefined) mm.queuedArea.addSpan(start, start + o.queue_ms);
    }
    this.attemptEnded(slot, i, o.kind, o);
  }

  /** `o`: the backend's outcome (its latency and ttft), null for a refused submit (no latency). */
  private attemptEnded(slot: number, i: number, kind: OutcomeKind, o: AttemptOutcome | null): void {
    const now = this.engine.now();
    const failed = kind === 'error' || kind === 'timeout';
    if (this.health.attemptResult(i, failed, now)) {
      this.engine.schedule(this.s.router.outlier_detection.cooldown_ms, this.id, K_EJECT_END, i);
    }
    const out = this.outcome;
    out.model_index = i;
    out.kind = kind;
    out.latency_ms = o === null ? Number.NaN : o.e2e_ms;
    out.ttft_ms = o === null ? Number.NaN : o.ttft_ms;
    const delay = this.router.done(this.table.req[slot], out);
    if (delay >= 0) {
      const t = this.table;
      t.model[slot] = -1;
      this.m.retries++;
      this.m.retrySeries.addAt(this.bucketNow());
      if ((t.flags[slot] & F_RETRIED) === 0) {
        t.flags[slot] |= F_RETRIED;
        this.m.retriedRequests++;
      }
      this.engine.schedule(delay, this.id, K_RETRY, slot);
      return;
    }
    this.finish(slot, kind);
  }

  private finish(slot: number, kind: OutcomeKind): void {
    const m = this.m;
    const t = this.table;
    if (t.attempted[slot] > 0) {
      m.attemptedSum += t.attempted[slot];
      m.attemptedCount++;
    }
    if (kind === 'ok') {
      m.completed++;
      m.completedSeries.addAt(this.bucketNow());
    } else if (kind === 'error' || kind === 'timeout') {
      m.failed++;
      if (kind === 'timeout') m.timedOut++;
    } else {
      m.rejected++;
      m.rejections.addAt(this.bucketNow());
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

  // ---- health, timeline, sampling ----

  private probeAll(): void {
    const now = this.engine.now();
    const c = this.cluster;
    for (let i = 0; i < this.n; i++) {
      if (this.presence.isAbsent(i)) continue;
      const h: Health = c.probe(i) ? c.health(i) : 'unhealthy';
      this.health.probeResult(i, h, now);
    }
  }

  private applyEvent(ev: ScenarioEvent): void {
    const now = this.engine.now();
    const c = this.cluster;
    switch (ev.kind) {
      case 'health': {
        const i = this.indexOf(ev.model);
        c.setHealth(i, ev.health);
        this.health.trueChange(i, ev.health, now);
        break;
      }
      case 'latency_factor':
        c.setLatencyFactor(this.indexOf(ev.model), ev.factor);
        break;
      case 'failure_rate':
        c.setFailureRate(this.indexOf(ev.model), ev.failure_rate);
        break;
      case 'capacity':
        c.setCapacity(this.indexOf(ev.model), ev.max_concurrency);
        break;
      case 'quota':
        c.setQuota(this.indexOf(ev.model), ev.tokens_per_minute, ev.requests_per_minute);
        break;
      case 'router':
        this.router.setConfig(ev.changes);
        break;
      case 'ab_split': {
        const ab = this.router.getConfig().ab_test;
        if (ab === null)
          throw new Error('Driver: an ab_split event needs router.ab_test (the loader checks this)');
        this.router.setConfig({ ab_test: { ...ab, split: ev.split } });
        break;
      }
      case 'presence':
        this.presence.set(this.indexOf(ev.model), ev.present, now);
        break;
    }
  }

  private indexOf(id: string): number {
    const i = this.cluster.indexOf(id);
    if (i < 0) throw new Error(`Driver: unknown model ${id} in a timeline event (the loader checks this)`);
    return i;
  }

  /** Sample the end-of-bucket values into bucket b. */
  private sample(b: number): void {
    if (b < 0) return;
    const c = this.cluster;
    for (let i = 0; i < this.n; i++) {
      const mm = this.m.models[i];
      mm.busyAt.sample(b, c.busySlotTime(i));
      const q = c.quotaUsage(i);
      if (q > mm.quotaPeak) mm.quotaPeak = q;
      mm.quotaSeries.sample(b, q);
      mm.healthSeries.sample(b, HEALTH_VALUE[this.presence.shown(i, this.health.shownHealth(i))]);
    }
    this.m.affinityEntries.sample(b, this.router.stats().affinity.entries);
  }

  /** Close the run at `end` (the clock must be there): the last, possibly partial, bucket's samples. */
  close(end: number): void {
    this.endT = end;
    this.sample(Math.max(0, Math.ceil(end / this.m.interval_ms) - 1));
  }
}
