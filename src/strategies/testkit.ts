/**
 * Test helpers for strategies: a PickContext over `n` models with chosen inputs, and a one-line picker
 * build (options parsed as the router parses them). Used by the per-strategy tests and the conformance
 * suite; not part of the router's hot path.
 */

import { SeededRng } from '../engine/rng.js';
import { DEFAULT_ROUTING_CONFIG, type RoutingConfig } from '../router/config.js';
import { modelInfo } from '../router/memory-views.js';
import { createPickContext, type PickContext, type Picker } from '../router/strategy.js';
import type { ModelInfo } from '../router/types.js';
import type { CacheView } from '../router/views.js';
import { STRATEGIES, type StrategyName } from './index.js';

export interface ContextInput {
  load?: number[];
  cache?: number[];
  quota?: number[];
  latency?: number[];
  weight?: number[];
  cost?: number[];
  /** Eligible indices (default: all). */
  eligible?: number[];
  seed?: number;
}

function models(n: number): ModelInfo[] {
  return Array.from({ length: n }, (_, i) => modelInfo(`m${i}`));
}

export function makeContext(n: number, input: ContextInput = {}): PickContext {
  const s = createPickContext(n, new SeededRng(input.seed ?? 1), { estimated_tokens: 100 });
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
  const el = input.eligible ?? Array.from({ length: n }, (_, i) => i);
  s.eligible.set(el);
  s.count = el.length;
  return s;
}

/** What a test builds a picker with besides options: a cache view and routing settings. */
export interface BuildInput {
  cache?: CacheView | null;
  config?: Partial<RoutingConfig>;
}

export function build(
  name: StrategyName,
  options: Record<string, unknown> = {},
  n = 4,
  input: BuildInput = {},
): Picker {
  const builder = STRATEGIES[name];
  return builder.build(builder.parse(options), {
    models: models(n),
    config: { ...DEFAULT_ROUTING_CONFIG, ...input.config },
    cache: input.cache ?? null,
  });
}

/** How many times each model is picked over `times` picks on the same context. */
export function tally(p: Picker, s: PickContext, times: number): number[] {
  const out = new Array<number>(s.n).fill(0);
  for (let k = 0; k < times; k++) out[p.pick(s)]++;
  return out;
}
