/**
 * The scenario's timeline: each event is scheduled at its time in priority class CLASS_CHANGE, so it
 * applies before anything else at the same instant (engine/heap.ts says why), and applying one is a single
 * switch over the event kinds: the true state of a model (cluster setters), the router's config, or the
 * router's pool (presence).
 */
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine } from '../engine/engine.js';
import { CLASS_CHANGE } from '../engine/heap.js';
import type { Router } from '../router/router.js';
import type { ScenarioEvent } from '../scenario/types.js';
import { K_TIMELINE } from './events.js';
import type { HealthMonitor } from './health.js';
import type { Presence } from './presence.js';

export class Timeline {
  constructor(
    private readonly events: readonly ScenarioEvent[],
    private readonly engine: Engine,
    private readonly cluster: SimCluster,
    private readonly router: Router,
    private readonly health: HealthMonitor,
    private readonly presence: Presence,
  ) {}

  /** Schedule every event at or before the horizon as K_TIMELINE to `target` (arg: its index). */
  schedule(target: number, horizon_ms: number): void {
    this.events.forEach((ev, k) => {
      if (ev.at_ms <= horizon_ms) this.engine.scheduleAt(ev.at_ms, target, K_TIMELINE, k, CLASS_CHANGE);
    });
  }

  /** K_TIMELINE: apply event k. */
  applyAt(k: number): void {
    this.apply(this.events[k]);
  }

  /** Apply one timeline event now. Throws on a model or router setting the loader should have refused. */
  apply(ev: ScenarioEvent): void {
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
          throw new Error('Timeline: an ab_split event needs router.ab_test (the loader checks this)');
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
    if (i < 0) throw new Error(`Timeline: unknown model ${id} in a timeline event (the loader checks this)`);
    return i;
  }
}
