/**
 * The scenario's timeline: each event is scheduled at its time in priority class CLASS_CHANGE, so it
 * applies before anything else at the same instant (engine/heap.ts says why). What an event does is its
 * kind's own (scenario/events/); this class is the world those kinds change: the models' true state
 * (cluster setters), the router's config and pool, the record of true health changes, and faults
 * (faults.ts).
 */
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine } from '../engine/engine.js';
import { CLASS_CHANGE } from '../engine/heap.js';
import { applyEvent, type ScenarioEvent } from '../scenario/events/index.js';
import type { EventWorld } from '../scenario/events/kind.js';
import { K_TIMELINE } from './events.js';
import type { FaultInjector } from './faults.js';
import type { Replicas } from './replicas.js';

export class Timeline implements EventWorld {
  readonly router: EventWorld['router'];
  readonly health: EventWorld['health'];
  readonly presence: EventWorld['presence'];

  /** `replicas`: the router (every replica), its health monitors and pool views, and their partitions. */
  constructor(
    private readonly events: readonly ScenarioEvent[],
    private readonly engine: Engine,
    readonly models: SimCluster,
    readonly replicas: Replicas,
    readonly faults: FaultInjector,
  ) {
    this.router = replicas.router;
    this.health = replicas.health;
    this.presence = replicas.presence;
  }

  /** Schedule every event at or before the horizon as K_TIMELINE to `target` (arg: its index). */
  schedule(target: number, horizon_ms: number): void {
    this.events.forEach((ev, k) => {
      if (ev.at_ms <= horizon_ms) this.engine.scheduleAt(ev.at_ms, target, K_TIMELINE, k, CLASS_CHANGE);
    });
  }

  /** K_TIMELINE: apply event k. Throws on a model or setting the loader should have refused. */
  applyAt(k: number): void {
    applyEvent(this.events[k] as ScenarioEvent, this);
  }

  now(): number {
    return this.engine.now();
  }

  indexOf(id: string): number {
    const i = this.models.indexOf(id);
    if (i < 0) throw new Error(`Timeline: unknown model ${id} in a timeline event (the loader checks this)`);
    return i;
  }
}
