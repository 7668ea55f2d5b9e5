/**
 * LiveCluster: a SimCluster in which some model indices are served by real backends (gguf, llama.cpp)
 * instead of their simulated model. The router's load view (in service, queued, load) and the report's
 * utilization read the real backend for those indices; everything else (cache view, quota, timeline
 * changes) stays the simulated model's, which receives no work: a live model's quota is not enforced and
 * its cache is never hit (llama.cpp sequences are cleared per attempt).
 *
 * A live backend that is not ready (failed to load, crashed, closed) fails its health probe.
 */
import type { Backend, BackendHost } from '../backends/backend.js';
import { SimCluster } from '../backends/sim/index.js';
import type { ModelSpec } from '../core/types.js';
import type { Engine } from '../engine/engine.js';
import type { RngStreams } from '../engine/rng.js';
import type { Health } from '../router/types.js';

/** What a live backend must offer beyond Backend: whether it can serve. */
export interface LiveBackend extends Backend {
  readonly state: string;
  /** How long the backend's server asked callers to wait (a Retry-After still running), in ms; 0: none. */
  retryWaitMs?(): number;
}

/** Where a model's true health and probe results go (every replica's monitors, or the gateway's one). */
interface HealthSink {
  trueChange(i: number, h: Health, now: number): void;
  probeResult(i: number, h: Health, now: number): void;
}

export class LiveCluster extends SimCluster {
  /** Per index: the real backend, or null for a simulated model. */
  readonly live: (LiveBackend | null)[];
  private readonly busy: Float64Array;
  private readonly slots: number[];
  private readonly engineRef: Engine;

  constructor(models: readonly ModelSpec[], engine: Engine, host: BackendHost, streams: RngStreams) {
    super(models, engine, host, streams);
    this.live = models.map(() => null);
    this.busy = new Float64Array(models.length);
    this.slots = models.map((m) => m.max_concurrency);
    this.engineRef = engine;
  }

  /** Serve model i with `b` from now on (before the run starts). */
  setLive(i: number, b: LiveBackend): void {
    this.live[i] = b;
  }

  /**
   * Model i's process is gone (its real backend failed to serve, or crashed): it is unhealthy from `now`,
   * and the health check learns it at once, as after `unhealthyAfter` failed probes, not at its next probe.
   */
  processGone(i: number, health: HealthSink, now: number, unhealthyAfter: number): void {
    this.setHealth(i, 'unhealthy');
    health.trueChange(i, 'unhealthy', now);
    for (let k = 0; k < Math.max(1, unhealthyAfter); k++) health.probeResult(i, 'unhealthy', now);
  }

  /** A live attempt on model i held a slot for `ms` of virtual time. */
  addBusy(i: number, ms: number): void {
    if (ms > 0) this.busy[i] += ms;
  }

  override backend(i: number): Backend {
    return this.live[i] ?? super.backend(i);
  }
  override load(i: number): number {
    const b = this.live[i];
    return b ? (b.inService() + b.queued()) / Math.max(1, this.slots[i]) : super.load(i);
  }
  override inFlight(i: number): number {
    const b = this.live[i];
    return b ? b.inService() + b.queued() : super.inFlight(i);
  }
  override queueDepth(i: number): number {
    const b = this.live[i];
    return b ? b.queued() : super.queueDepth(i);
  }
  override inService(i: number): number {
    const b = this.live[i];
    return b ? b.inService() : super.inService(i);
  }
  override queued(i: number): number {
    const b = this.live[i];
    return b ? b.queued() : super.queued(i);
  }
  override probe(i: number): boolean {
    const b = this.live[i];
    return b ? b.state === 'ready' && super.probe(i) : super.probe(i);
  }
  override busySlotTime(i: number): number {
    return this.live[i] ? this.busy[i] : super.busySlotTime(i);
  }
  override slotTime(i: number): number {
    return this.live[i] ? this.slots[i] * this.engineRef.now() : super.slotTime(i);
  }
  override utilization(i: number): number {
    if (!this.live[i]) return super.utilization(i);
    const s = this.slotTime(i);
    return s > 0 ? Math.min(1, this.busy[i] / s) : 0;
  }
}
