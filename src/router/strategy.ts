/**
 * The strategy interface (builder + picker, after grpc-go's balancer), owned by the router: a builder parses
 * its own options once (its zod schema also documents them) and builds a Picker; `pick(ctx)` chooses among
 * the eligible models and never blocks or allocates; the optional `done` hook receives each attempt's
 * outcome. The router is given a StrategyRegistry and knows no strategy by name.
 */

import type { z } from 'zod';
import type { Rng } from '../engine/rng.js';
import type { RoutingConfig } from './config.js';
import type { ModelInfo, Outcome, RouteRequest } from './types.js';
import type { CacheView } from './views.js';

/**
 * What a picker sees for one decision. The router owns one PickContext and overwrites it per route(); the
 * per-model arrays are indexed by model index (registry order) and are only meaningful for eligible
 * models and only for the inputs the picker declared in `Picker.uses` (others may be stale).
 */
export interface PickContext {
  /** Number of models in the registry (length of the per-model arrays that matter). */
  n: number;
  /** eligible[0..count) are the indices of the models the picker may choose, in ascending order. */
  eligible: Int32Array;
  count: number;
  /** min(load, huge): (in service + queued) / max_concurrency; 0 when no LoadView. */
  load: Float64Array;
  /** Cache hit rate 0..1; 0 when no CacheView. */
  cache: Float64Array;
  /** Quota usage share 0..1; 0 when no QuotaView. */
  quota: Float64Array;
  /** EWMA of observed latency (ms) fed by done(); NaN while unknown. */
  latency: Float64Array;
  /** ModelInfo.weight. */
  weight: Float64Array;
  /** ModelInfo.cost_per_1k_tokens. */
  cost: Float64Array;
  hasLoad: boolean;
  hasCache: boolean;
  hasQuota: boolean;
  rng: Rng;
  request: RouteRequest;
  now: number;
  /** Out: the chosen model's total_score (0..1), set by the picker. */
  score: number;
  /** Out: a constant reason string, set by the picker (say when it degraded for lack of a view). */
  reason: string;
}

/** 1 - min(load, 1): 1 when idle, 0 when every slot is busy (or queueing). The router reports it too. */
export function loadScore(load: number): number {
  return load >= 1 ? 0 : 1 - load;
}

/** Which per-model inputs a picker reads, so the router fills only those. */
export interface Uses {
  load: boolean;
  cache: boolean;
  quota: boolean;
}

export interface Picker {
  readonly uses: Uses;
  /** Returns an index from ctx.eligible[0..count), or -1 when count is 0. Sets ctx.score and ctx.reason. */
  pick(ctx: PickContext): number;
  /** Outcome of an attempt on `modelIndex` (latency EWMAs live in the router's pick context already). */
  done?(modelIndex: number, outcome: Outcome): void;
}

/** What a builder builds a picker from, besides its own options. */
export interface StrategyContext {
  readonly models: readonly ModelInfo[];
  /** The routing settings in force; a builder reads those it lists in StrategyBuilder.settings. */
  readonly config: Readonly<RoutingConfig>;
  /** The cache view itself, for per-request prefix matching (null when absent). */
  readonly cache: CacheView | null;
}

/** A strategy: its name, its options' schema and parser, its capabilities and its picker's builder. */
export interface StrategyBuilder<O = unknown> {
  readonly NAME: string;
  /** The options' strict schema (with descriptions and defaults), for validation and `routesim schema`. */
  readonly options: z.ZodType<O>;
  /** Every session stays on its model, whether or not session_affinity is on. */
  readonly pinsSessions: boolean;
  /** Routing settings the picker is built from: when one changes, the router builds a fresh picker. */
  readonly settings: readonly (keyof RoutingConfig)[];
  /** Parses strategy_options; throws RoutingConfigError, its message prefixed by NAME. */
  parse(raw: Record<string, unknown>): O;
  /** Checks what the strategy needs of the models (throws RoutingConfigError prefixed by NAME). */
  checkModels(models: readonly ModelInfo[]): void;
  /** Builds a picker from parsed options (checkModels first); called once per run and per registry change. */
  build(options: O, ctx: StrategyContext): Picker;
}

/** Strategy name -> builder, in a stable order (the order of the report's strategy counts). */
export type StrategyRegistry = Readonly<Record<string, StrategyBuilder>>;

/** Allocates a PickContext sized for `n` models (tests and the router use it). */
export function createPickContext(n: number, rng: Rng, request: RouteRequest): PickContext {
  const latency = new Float64Array(n);
  latency.fill(Number.NaN);
  const weight = new Float64Array(n);
  weight.fill(1);
  return {
    n,
    eligible: new Int32Array(n),
    count: 0,
    load: new Float64Array(n),
    cache: new Float64Array(n),
    quota: new Float64Array(n),
    latency,
    weight,
    cost: new Float64Array(n),
    hasLoad: false,
    hasCache: false,
    hasQuota: false,
    rng,
    request,
    now: 0,
    score: 0,
    reason: '',
  };
}
