/**
 * The strategy interface (builder + picker, after grpc-go's balancer): a builder validates its own options
 * once and returns a Picker; `pick(snapshot)` chooses among the eligible models and never blocks or
 * allocates; the optional `done` hook receives each attempt's outcome.
 */

import type { Rng } from '../engine/rng.js';
import type { RoutingConfig } from './config.js';
import type { ModelInfo, Outcome, RouteRequest } from './types.js';
import type { CacheView } from './views.js';

/**
 * What a picker sees for one decision. The router owns one Snapshot and overwrites it per route(); the
 * per-model arrays are indexed by model index (registry order) and are only meaningful for eligible
 * models and only for the inputs the picker declared in `Picker.uses` (others may be stale).
 */
export interface Snapshot {
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
  /** The cache view itself, for per-request prefix matching (null when absent). */
  cacheView: CacheView | null;
  cacheOptimization: boolean;
  minCacheHitRate: number;
  rng: Rng;
  request: RouteRequest;
  now: number;
  /** Out: the chosen model's total_score (0..1), set by the picker. */
  score: number;
  /** Out: a constant reason string, set by the picker (say when it degraded for lack of a view). */
  reason: string;
}

/** Which per-model inputs a picker reads, so the router fills only those. */
export interface Uses {
  load: boolean;
  cache: boolean;
  quota: boolean;
}

export interface Picker {
  readonly uses: Uses;
  /** Returns an index from s.eligible[0..count), or -1 when count is 0. Sets s.score and s.reason. */
  pick(s: Snapshot): number;
  /** Outcome of an attempt on `modelIndex` (latency EWMAs live in the router's snapshot already). */
  done?(modelIndex: number, outcome: Outcome): void;
}

export interface StrategyContext {
  readonly models: readonly ModelInfo[];
  readonly config: Readonly<RoutingConfig>;
}

export interface StrategyBuilder {
  readonly NAME: string;
  /** Validates `options` (throws RoutingConfigError with a message prefixed by NAME) and builds a picker. */
  build(options: Record<string, unknown>, ctx: StrategyContext): Picker;
}

/** Allocates a Snapshot sized for `n` models (tests and the router use it). */
export function createSnapshot(n: number, rng: Rng, request: RouteRequest): Snapshot {
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
    cacheView: null,
    cacheOptimization: true,
    minCacheHitRate: 0.3,
    rng,
    request,
    now: 0,
    score: 0,
    reason: '',
  };
}
