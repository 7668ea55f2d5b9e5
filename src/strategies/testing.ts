/**
 * Test helpers for strategies: a Snapshot over `n` models with chosen inputs, and a one-line picker build.
 * Used by the per-strategy tests and the conformance suite; not part of the router's hot path.
 */

import { SeededRng } from '../engine/rng.js';
import type { StrategyName } from '../router/config.js';
import { DEFAULT_ROUTING_CONFIG } from '../router/config.js';
import { modelInfo } from '../router/memory-views.js';
import { createSnapshot, type Picker, type Snapshot } from '../router/strategy.js';
import type { ModelInfo } from '../router/types.js';
import type { CacheView } from '../router/views.js';
import { STRATEGIES } from './registry.js';

export interface SnapInput {
  load?: number[];
  cache?: number[];
  quota?: number[];
  latency?: number[];
  weight?: number[];
  cost?: number[];
  /** Eligible indices (default: all). */
  eligible?: number[];
  cacheView?: CacheView;
  seed?: number;
}

export function models(n: number): ModelInfo[] {
  return Array.from({ length: n }, (_, i) => modelInfo(`m${i}`));
}

export function makeSnapshot(n: number, input: SnapInput = {}): Snapshot {
  const s = createSnapshot(n, new SeededRng(input.seed ?? 1), { estimated_tokens: 100 });
  const copy = (dst: Float64Array, src?: number[]) => {
    if (src) dst.set(src);
  };
  copy(s.load, input.load);
  copy(s.cache, input.cache);
  copy(s.quota, input.quota);
  copy(s.latency, input.latency);
  copy(s.weight, input.weight);
  copy(s.cost, input.cost);
  s.hasLoad = input.load !== undefined;
  s.hasCache = input.cache !== undefined;
  s.hasQuota = input.quota !== undefined;
  s.cacheView = input.cacheView ?? null;
  const el = input.eligible ?? Array.from({ length: n }, (_, i) => i);
  s.eligible.set(el);
  s.count = el.length;
  return s;
}

export function build(name: StrategyName, options: Record<string, unknown> = {}, n = 4): Picker {
  return STRATEGIES[name].build(options, { models: models(n), config: DEFAULT_ROUTING_CONFIG });
}

/** How many times each model is picked over `times` picks on the same snapshot. */
export function tally(p: Picker, s: Snapshot, times: number): number[] {
  const out = new Array<number>(s.n).fill(0);
  for (let k = 0; k < times; k++) out[p.pick(s)]++;
  return out;
}
