/**
 * How the router learns health during a run: active probes of every present model (K_PROBE, every
 * `probes.interval`) and passive outlier detection on attempt results, whose ejections end after
 * `outlier_detection.cooldown` (K_EJECT_END). What the router then believes is the HealthMonitor's job.
 */
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine } from '../engine/engine.js';
import type { Health } from '../router/types.js';
import { K_EJECT_END } from './events.js';
import type { HealthMonitor } from './health.js';
import type { Presence } from './presence.js';

export class Probing {
  constructor(
    private readonly engine: Engine,
    /** The Driver's engine target id: ejection ends are scheduled to it. */
    private readonly target: number,
    private readonly cluster: SimCluster,
    /** Per router replica, its health monitor (probe results reach all; attempt results their own). */
    private readonly health: readonly HealthMonitor[],
    private readonly presence: Presence,
    private readonly cooldown_ms: number,
  ) {}

  private readonly inPool = (j: number): boolean => !this.presence.isAbsent(j);

  /** K_PROBE: probe every model in the pool (a model truly unhealthy, or whose probe fails, reads unhealthy). */
  probeAll(): void {
    const now = this.engine.now();
    const c = this.cluster;
    for (let i = 0; i < c.size; i++) {
      if (this.presence.isAbsent(i)) continue;
      const h: Health = c.probe(i) ? c.health(i) : 'unhealthy';
      for (const m of this.health) m.probeResult(i, h, now);
    }
  }

  /**
   * Replica r's attempt on model i ended (`failed`: error or timeout); an ejection it causes ends after
   * the cooldown (K_EJECT_END's arg: r * models + i, so i alone for replica 0).
   */
  attemptEnded(r: number, i: number, failed: boolean): void {
    // An ok attempt only resets the model's failure streak: no clock read (a double passed to a call
    // that is not inlined is boxed, once per request).
    if (!failed) this.health[r].attemptOk(i);
    else if (this.health[r].attemptResult(i, true, this.engine.now(), this.inPool)) {
      this.engine.schedule(this.cooldown_ms, this.target, K_EJECT_END, r * this.cluster.size + i);
    }
  }

  /** K_EJECT_END: an ejection is over (unless the model left the pool meanwhile). */
  ejectEnd(key: number): void {
    const n = this.cluster.size;
    const i = key % n;
    if (!this.presence.isAbsent(i)) this.health[(key - i) / n].ejectEnd(i, this.engine.now());
  }
}
