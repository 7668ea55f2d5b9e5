/**
 * Router replicas (`router.replicas`): `count` instances of the same Router side by side, as a fleet of
 * gateway instances behind a load balancer. Each has its own router state (affinity table, latency
 * estimates, strategy state such as the round-robin position), its own registry and HealthMonitor (so its
 * own outlier detection; every replica sees the same probe results) and its own pool view. Arrivals are
 * shared out by ReplicaSplit; a request's retries stay on the replica that routed it. With `view: local`
 * a replica's LoadView is its own LocalLoad, with `shared` the backends' true (or uniformly stale) load;
 * cache and quota views are shared. A `partition` event cuts some replicas off a model: their attempts
 * to it fail at once as a connection failure (run/request-flow.ts).
 *
 * count 1 is the run without replicas: replica 0 uses the 'router' random stream and the shared views,
 * whatever `view` says (one router knows every attempt), so its reports are those of a plain run.
 */
import type { Engine } from '../engine/engine.js';
import type { RngStreams } from '../engine/rng.js';
import type { RunRecorder } from '../metrics/recorder.js';
import type { RoutingConfig } from '../router/config.js';
import { MemoryRegistry } from '../router/memory-views.js';
import { Router } from '../router/router.js';
import type { RouterStats } from '../router/stats.js';
import type { Health } from '../router/types.js';
import type { CacheView, LoadView, QuotaView } from '../router/views.js';
import { DEFAULT_REPLICAS } from '../scenario/defaults.js';
import type { Scenario } from '../scenario/types.js';
import { STRATEGIES } from '../strategies/index.js';
import { HealthMonitor } from './health.js';
import { LocalLoad } from './local-load.js';
import { Presence } from './presence.js';
import { ReplicaSplit } from './replica-split.js';
import type { ReplicaResult } from './result.js';
import { sumRouterStats } from './router-stats.js';
import { modelInfoOf, routingConfigOf } from './run-config.js';

export interface ReplicaViews {
  load: LoadView;
  cache: CacheView;
  quota: QuotaView;
  /** The shared snapshot refreshed every signals.refresh, or null (a local view then counts only its own). */
  stale: LoadView | null;
}

export class Replicas {
  readonly count: number;
  readonly routers: Router[] = [];
  readonly registries: MemoryRegistry[] = [];
  readonly monitors: HealthMonitor[] = [];
  readonly presences: Presence[] = [];
  /** Per replica its own load view (view: local, count > 1), else null. */
  private readonly local: LocalLoad[] | null;
  private readonly split: ReplicaSplit;
  private readonly n: number;
  /** [r * n + i] = 1 while replica r cannot reach model i. */
  private readonly cut: Uint8Array;
  /** [r * n + i]: routing decisions of replica r that chose model i. */
  private readonly decisions: Float64Array;
  /** Per replica: requests the split gave it. */
  private readonly requests: Float64Array;

  /** The router config and its events, for every replica (EventWorld.router). */
  readonly router = {
    getConfig: (): Readonly<RoutingConfig> => this.routers[0].getConfig(),
    setConfig: (changes: Partial<RoutingConfig>): void => {
      for (const r of this.routers) r.setConfig(changes);
    },
  };

  /** True health changes and out-of-band probe results reach every replica's monitor. */
  readonly health = {
    trueChange: (i: number, h: Health, now: number): void => {
      for (const m of this.monitors) m.trueChange(i, h, now);
    },
    probeResult: (i: number, h: Health, now: number): void => {
      for (const m of this.monitors) m.probeResult(i, h, now);
    },
  };

  /** The pool changes for every replica (EventWorld.presence). */
  readonly presence = {
    set: (i: number, present: boolean, now: number): void => {
      for (const p of this.presences) p.set(i, present, now);
    },
  };

  constructor(
    scenario: Scenario,
    engine: Engine,
    streams: RngStreams,
    views: ReplicaViews,
    initial: readonly Health[],
    stopwatch: (() => number) | undefined,
    /** Told replica 0's health changes (drill detection reads the first replica's view, as the timeline does). */
    recorder?: Pick<RunRecorder, 'healthShown'>,
  ) {
    const spec = scenario.router.replicas ?? DEFAULT_REPLICAS;
    const count = spec.count;
    this.count = count;
    const models = scenario.models;
    const n = models.length;
    this.n = n;
    const ids = models.map((m) => m.id);
    const maxc = Float64Array.from(models, (m) => m.max_concurrency);
    this.local =
      count > 1 && spec.view === 'local'
        ? Array.from({ length: count }, () => new LocalLoad(maxc, views.stale))
        : null;
    const config = routingConfigOf(scenario.router);
    const r = scenario.router;
    for (let k = 0; k < count; k++) {
      const registry = new MemoryRegistry(models.map(modelInfoOf), initial);
      this.registries.push(registry);
      this.routers.push(
        new Router(config, {
          registry,
          strategies: STRATEGIES,
          cache: views.cache,
          quota: views.quota,
          load: this.local?.[k] ?? views.load,
          clock: engine,
          rng: streams.get(k === 0 ? 'router' : `router.${k}`),
          stopwatch: k === 0 ? stopwatch : undefined,
        }),
      );
      const monitor = new HealthMonitor(
        ids,
        initial,
        registry,
        r.probes,
        r.outlier_detection,
        k === 0 ? recorder : undefined,
      );
      this.monitors.push(monitor);
      this.presences.push(new Presence(models, registry, monitor));
    }
    this.split = new ReplicaSplit(count, spec.split, streams.get('replicas'));
    this.cut = new Uint8Array(count * n);
    this.decisions = new Float64Array(count * n);
    this.requests = new Float64Array(count);
  }

  /** The replica that routes a new request (and its retries). */
  assign(session_id: string | undefined): number {
    const r = this.split.assign(session_id);
    this.requests[r]++;
    return r;
  }

  /** Replica r's routing decision chose model i. */
  routed(r: number, i: number): void {
    this.decisions[r * this.n + i]++;
  }

  /** False while a partition cuts replica r off model i. */
  reachable(r: number, i: number): boolean {
    return this.cut[r * this.n + i] === 0;
  }

  /** A partition between `replicas` and model i starts (cut) or heals. Unknown replicas are ignored. */
  partition(i: number, replicas: readonly number[], cut: boolean): void {
    for (const r of replicas) if (r >= 0 && r < this.count) this.cut[r * this.n + i] = cut ? 1 : 0;
  }

  /** Replica r's attempt on model i was accepted by the backend. */
  sent(r: number, i: number): void {
    this.local?.[r].sent(i);
  }

  /** That attempt ended (any outcome). */
  ended(r: number, i: number): void {
    this.local?.[r].ended(i);
  }

  /** The shared stale snapshot was refreshed at this instant. */
  refreshed(): void {
    if (this.local !== null) for (const l of this.local) l.refreshed();
  }

  /** The counters of all replicas together (replica 0's alone when there is one). */
  stats(): RouterStats {
    if (this.count === 1) return this.routers[0].stats();
    return sumRouterStats(this.routers.map((r) => r.stats()));
  }

  /** Session-affinity entries held now, over all replicas. */
  affinityEntries(): number {
    let s = 0;
    for (const r of this.routers) s += r.affinityEntries();
    return s;
  }

  /** Per replica, what it routed (null with one replica: the report then has no routing.replicas). */
  results(): ReplicaResult[] | null {
    if (this.count === 1) return null;
    return this.routers.map((router, r) => {
      const st = router.stats();
      return {
        requests: this.requests[r],
        decisions: Array.from(this.decisions.subarray(r * this.n, (r + 1) * this.n)),
        retries: st.retries,
        fallbacks: st.fallbacks,
        rejected: st.rejected,
        affinity_hits: st.affinity.hits,
        ejections: Array.from(this.monitors[r].ejections),
      };
    });
  }
}
