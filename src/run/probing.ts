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
    private readonly health: HealthMonitor,
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
      this.health.probeResult(i, h, now);
    }
  }

  /** An attempt on model i ended (`failed`: error or timeout); an ejection it causes ends after the cooldown. */
  attemptEnded(i: number, failed: boolean): void {
    if (this.health.attemptResult(i, failed, this.engine.now(), this.inPool)) {
      this.engine.schedule(this.cooldown_ms, this.target, K_EJECT_END, i);
    }
  }

  /** K_EJECT_END: model i's ejection is over (unless it left the pool meanwhile). */
  ejectEnd(i: number): void {
    if (!this.presence.isAbsent(i)) this.health.ejectEnd(i, this.engine.now());
  }
}
