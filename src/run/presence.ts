/**
 * Models joining and leaving the router's pool during a run (model `initially: absent`, events
 * `{ at, model, add: true }` / `{ at, model, remove: true }`).
 *
 * Indices stay stable: a model that is removed (or not yet added) keeps its place in the registry, the
 * cluster, the metrics and the report. The registry shows it unhealthy, the one filter that fallback never
 * relaxes, so it is never a candidate and receives no new attempt (retries, preferred model, affinity and
 * A/B arms included: each falls through to the other models). Attempts it already accepted, queued ones
 * too, run to their end: removal is a drain, not a crash. While absent it is not probed and the end of an
 * outlier ejection does not publish its health. On `add` the registry shows again what the health checks
 * believe (a model that joins healthy is routable at once) and a finished ejection is released.
 * The report's health series shows an absent model as 0 (out of the pool), like an unhealthy one.
 */

import type { ModelSpec } from '../core/types.js';
import type { Health } from '../router/types.js';
import type { Registry } from '../router/views.js';
import type { HealthMonitor } from './health.js';

export class Presence {
  private readonly absent: Uint8Array;
  private readonly ids: readonly string[];

  /** Pins the registry's health of the models that start absent (call after the HealthMonitor exists). */
  constructor(
    models: readonly ModelSpec[],
    private readonly registry: Registry,
    private readonly health: HealthMonitor,
  ) {
    this.ids = models.map((m) => m.id);
    this.absent = Uint8Array.from(models, (m) => (m.initially === 'absent' ? 1 : 0));
    for (let i = 0; i < this.ids.length; i++)
      if (this.absent[i] === 1) registry.updateHealthStatus(this.ids[i], 'unhealthy');
  }

  /** True while model i is out of the pool. */
  isAbsent(i: number): boolean {
    return this.absent[i] === 1;
  }

  /** Model i joins (present) or leaves the pool at `now`; a no-op when it is already there / gone. */
  set(i: number, present: boolean, now: number): void {
    if (present === !this.isAbsent(i)) return;
    this.absent[i] = present ? 0 : 1;
    if (!present) {
      this.registry.updateHealthStatus(this.ids[i], 'unhealthy');
      return;
    }
    this.registry.updateHealthStatus(this.ids[i], this.health.shownHealth(i));
    this.health.ejectEnd(i, now);
  }

  /** The health the router sees for model i, given what the health checks show. */
  shown(i: number, checked: Health): Health {
    return this.isAbsent(i) ? 'unhealthy' : checked;
  }
}
