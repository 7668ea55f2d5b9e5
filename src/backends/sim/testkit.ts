/** Helpers for the simulated backends' tests (not exported from index.ts). */

import { defaultModelSpec } from '../../core/model-spec.js';
import type { ModelSpec } from '../../core/types.js';
import { Engine } from '../../engine/engine.js';
import { RngStreams } from '../../engine/rng.js';
import type { AttemptOutcome, AttemptSpec, BackendHost } from '../backend.js';
import { SimCluster } from './cluster.js';

/** Model `m`: one slot, a deep queue and a fixed 10 ms service time, then `over` on top. */
export function modelSpec(over: Partial<ModelSpec> = {}): ModelSpec {
  return defaultModelSpec('m', {
    max_concurrency: 1,
    max_queue: 1000,
    latency: { model: 'service', service: { dist: 'fixed', value: 10 } },
    ...over,
  });
}

/** A host that copies every outcome with the time it was reported. */
export class Recorder implements BackendHost {
  readonly done: (AttemptOutcome & { at: number })[] = [];
  constructor(private readonly engine: Engine) {}
  now(): number {
    return this.engine.now();
  }
  complete(o: AttemptOutcome): void {
    this.done.push({ ...o, at: this.engine.now() });
  }
  byId(id: number): AttemptOutcome & { at: number } {
    const o = this.done.find((d) => d.id === id);
    if (!o) throw new Error(`no outcome for ${id}`);
    return o;
  }
}

export function setup(specs: ModelSpec[], seed = 1): { engine: Engine; host: Recorder; cluster: SimCluster } {
  const engine = new Engine();
  const host = new Recorder(engine);
  const cluster = new SimCluster(specs, engine, host, new RngStreams(seed));
  return { engine, host, cluster };
}

export function attempt(
  id: number,
  prompt = 100,
  output = 10,
  extra: Partial<AttemptSpec> = {},
): AttemptSpec {
  return { id, prompt_tokens: prompt, output_tokens: output, ...extra };
}

/** A target that runs `fn` at the given virtual time (tests only; closures are fine here). */
export function at(engine: Engine, t: number, fn: () => void): void {
  const id = engine.register({ onEvent: () => fn() });
  engine.scheduleAt(t, id, 0, 0);
}
