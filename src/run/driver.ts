/**
 * The simulation driver: the run's one engine target. It builds the run's modules around the wiring —
 * the request flow (request-flow.ts), probing (probing.ts), the timeline (timeline.ts), stale-signal
 * refresh (stale-views.ts) and sampling (sampler.ts) — schedules their first events, and hands each event
 * kind to its module. Events are typed records (kind, arg): no closure per event.
 */
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine, EventTarget } from '../engine/engine.js';
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { Scenario } from '../scenario/types.js';
import type { RequestSource } from '../traffic/source.js';
import {
  K_ARRIVAL,
  K_ATTEMPT_TIMEOUT,
  K_CLIENT_TIMEOUT,
  K_EJECT_END,
  K_PROBE,
  K_REFRESH,
  K_RETRY,
  K_SAMPLE,
  K_TIMELINE,
} from './events.js';
import { FaultInjector } from './faults.js';
import { Probing } from './probing.js';
import type { Replicas } from './replicas.js';
import { RequestFlow } from './request-flow.js';
import { Sampler } from './sampler.js';
import type { StaleViews } from './stale-views.js';
import { Timeline } from './timeline.js';

export interface DriverParts {
  scenario: Scenario;
  engine: Engine;
  replicas: Replicas;
  cluster: SimCluster;
  source: RequestSource;
  metrics: RunMetrics;
  stale: StaleViews | null;
}

export class Driver implements EventTarget {
  /** The requests: the backends' host (completions go to flow.complete). */
  readonly flow: RequestFlow;
  /** The faults the timeline applies, and their record. */
  readonly faults: FaultInjector;
  private readonly engine: Engine;
  private readonly id: number;
  private readonly horizon: number;
  private readonly probeEvery: number;
  private readonly refreshEvery: number;
  private readonly stale: StaleViews | null;
  private readonly replicas: Replicas;
  private readonly probing: Probing;
  private readonly timeline: Timeline;
  private readonly sampler: Sampler;
  constructor(p: DriverParts) {
    const s = p.scenario;
    this.engine = p.engine;
    this.id = p.engine.register(this);
    this.horizon = s.horizon_ms;
    this.probeEvery = s.router.probes.interval_ms;
    this.refreshEvery = s.router.signals.refresh_ms;
    this.stale = p.stale;
    const rs = p.replicas;
    this.replicas = rs;
    const cooldown = s.router.outlier_detection.cooldown_ms;
    this.probing = new Probing(p.engine, this.id, p.cluster, rs.monitors, rs.presences[0], cooldown);
    this.faults = new FaultInjector(p.engine, p.cluster, rs.health, p.stale);
    this.timeline = new Timeline(s.events, p.engine, p.cluster, rs, this.faults);
    this.sampler = new Sampler(
      p.cluster,
      p.metrics,
      rs,
      rs.monitors[0],
      rs.presences[0],
      s.timeline_interval_ms,
    );
    this.flow = new RequestFlow({
      engine: p.engine,
      target: this.id,
      replicas: rs,
      cluster: p.cluster,
      source: p.source,
      recorder: p.metrics,
      probing: this.probing,
      horizon_ms: this.horizon,
      client_timeout_ms: s.client_timeout_ms ?? 0,
    });
  }

  /**
   * Schedule the first arrival, the timeline and the periodic checks. Call once, before engine.run(). The
   * order of these calls decides nothing: same-instant order is the heap's priority-class rule.
   */
  start(): void {
    this.flow.start();
    this.timeline.schedule(this.id, this.horizon);
    if (this.probeEvery > 0) this.schedulePeriodic(this.probeEvery, K_PROBE);
    if (this.stale !== null && this.refreshEvery > 0) this.schedulePeriodic(this.refreshEvery, K_REFRESH);
    this.scheduleSample();
  }

  /** The run's requests are all accounted for and no more will arrive. */
  get done(): boolean {
    return this.flow.done;
  }

  /** Virtual time the last request finished (valid once done). */
  get endedAt(): number {
    return this.flow.endT;
  }

  onEvent(kind: number, arg: number): void {
    switch (kind) {
      case K_ARRIVAL:
        this.flow.arrive();
        break;
      case K_RETRY:
        this.flow.retry(arg);
        break;
      case K_ATTEMPT_TIMEOUT:
        this.flow.attemptTimeout(arg);
        break;
      case K_CLIENT_TIMEOUT:
        this.flow.clientTimeout(arg);
        break;
      case K_PROBE:
        this.probing.probeAll();
        this.schedulePeriodic(this.probeEvery, K_PROBE);
        break;
      case K_EJECT_END:
        this.probing.ejectEnd(arg);
        break;
      case K_TIMELINE:
        this.timeline.applyAt(arg);
        break;
      case K_REFRESH:
        this.stale!.refresh();
        this.replicas.refreshed();
        this.schedulePeriodic(this.refreshEvery, K_REFRESH);
        break;
      case K_SAMPLE:
        this.sampler.sampleAt();
        this.scheduleSample();
        break;
      default:
        throw new Error(`Driver: unknown event kind ${kind}`);
    }
  }

  private schedulePeriodic(period: number, kind: number): void {
    if (this.flow.done) return;
    const at = this.engine.now() + period;
    if (at <= this.horizon) this.engine.scheduleAt(at, this.id, kind, 0);
  }

  /** The next end of a timeline bucket (its width can have doubled since the last one). */
  private scheduleSample(): void {
    if (this.flow.done) return;
    const at = this.sampler.next();
    if (at <= this.horizon) this.engine.scheduleAt(at, this.id, K_SAMPLE, 0);
  }

  /** Close the run at `end` (the clock must be there): the last, possibly partial, bucket's samples. */
  close(end: number): void {
    this.sampler.close(end);
  }
}
