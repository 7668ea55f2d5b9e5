/**
 * The run's fault injector: the world the crash, hang, flap and metrics_stale events change
 * (EventWorld.faults), and the record of every fault applied, for the report and drill scores.
 *
 * - crash: the model's backend fails every attempt it holds (kind 'error', detail 'crash'), refuses work,
 *   fails probes and loses its caches (Backend.faults); its true health reads unhealthy until restart,
 *   so health_changes gives the router's detection delay. A flap is a run of such crashes.
 * - hang: the backend stalls (accepts work, makes no progress, fails probes); true health as for a crash.
 * - metrics_stale: the router's load, cache and quota view of the model freezes (StaleViews.freeze).
 * A backend without fault controls (a real model in a live run) is left alone; the fault is still recorded.
 */
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine } from '../engine/engine.js';
import type { Health } from '../router/types.js';
import type { HealthMonitor } from './health.js';
import type { FaultRecord } from './result.js';
import type { StaleViews } from './stale-views.js';

export class FaultInjector {
  /** Every fault applied, in the order they started. */
  readonly records: FaultRecord[] = [];
  private readonly open = new Map<string, FaultRecord>();
  /** Per model: 1 while hung. */
  private readonly hung: Uint8Array;

  constructor(
    private readonly engine: Engine,
    private readonly cluster: SimCluster,
    /** Every router replica's health monitor (true health changes reach them all). */
    private readonly health: Pick<HealthMonitor, 'trueChange'>,
    private readonly stale: StaleViews | null,
  ) {
    this.hung = new Uint8Array(cluster.size);
  }

  crash(i: number, kind: string, since: number): void {
    const r = this.record(i, kind, since);
    const f = this.cluster.backend(i).faults;
    if (f === null || f.isDown()) return;
    const held = this.cluster.inFlight(i);
    r.failed_attempts += held;
    r.crashes++;
    r.end_ms = null;
    const was = this.trueHealth(i);
    f.crash();
    this.trueChanged(i, was);
  }

  restart(i: number, kind: string, since: number, warmup_ms: number, slowdown: number): void {
    const r = this.record(i, kind, since);
    r.end_ms = this.engine.now();
    r.warmup_ms = warmup_ms;
    const f = this.cluster.backend(i).faults;
    if (f === null || !f.isDown()) return;
    const was = this.trueHealth(i);
    f.restart(warmup_ms, slowdown);
    this.trueChanged(i, was);
  }

  hang(i: number, on: boolean, since: number): void {
    const r = this.record(i, 'hang', since);
    const now = this.engine.now();
    if (!on) r.end_ms = now;
    const f = this.cluster.backend(i).faults;
    if (f === null) return;
    const was = this.trueHealth(i);
    this.hung[i] = on ? 1 : 0;
    f.stall(on);
    this.trueChanged(i, was);
  }

  /** Model i's true health: unhealthy while crashed or hung, else its own. */
  private trueHealth(i: number): Health {
    const f = this.cluster.backend(i).faults;
    return this.hung[i] === 1 || f?.isDown() ? 'unhealthy' : this.cluster.health(i);
  }

  /** Record a change of true health (for detection delays) when a fault changed it from `was`. */
  private trueChanged(i: number, was: Health): void {
    const h = this.trueHealth(i);
    if (h !== was) this.health.trueChange(i, h, this.engine.now());
  }

  staleMetrics(i: number, on: boolean, since: number): void {
    const r = this.record(i, 'metrics_stale', since);
    if (!on) r.end_ms = this.engine.now();
    this.stale?.freeze(i, on);
  }

  /** The record of fault (kind, model i, since), made at its first event. */
  private record(i: number, kind: string, since: number): FaultRecord {
    const key = `${kind}/${i}/${since}`;
    let r = this.open.get(key);
    if (r === undefined) {
      r = {
        kind,
        model: this.cluster.model(i).modelId,
        at_ms: since,
        end_ms: null,
        warmup_ms: 0,
        crashes: 0,
        failed_attempts: 0,
      };
      this.open.set(key, r);
      this.records.push(r);
    }
    return r;
  }
}
