/**
 * The built-in strategies: name -> builder, in the order the report lists strategy counts. A Router is
 * given this registry (RouterDeps.strategies); a service that wants the router with the built-in
 * strategies imports Router from router/ and STRATEGIES from here.
 */
import type { StrategyRegistry } from '../router/strategy.js';
import { affinityBased } from './affinity-based/index.js';
import { cacheAware } from './cache-aware/index.js';
import { costBased } from './cost-based/index.js';
import { kvAware } from './kv-aware/index.js';
import { latencyBased } from './latency-based/index.js';
import { leastLoaded } from './least-loaded/index.js';
import { powerOfTwo } from './power-of-two/index.js';
import { prefixAware } from './prefix-aware/index.js';
import { quotaAware } from './quota-aware/index.js';
import { random } from './random/index.js';
import { roundRobin } from './round-robin/index.js';
import { weightedRandom } from './weighted-random/index.js';
import { weightedScore } from './weighted-score/index.js';

const BUILT_IN = {
  round_robin: roundRobin,
  least_loaded: leastLoaded,
  cache_aware: cacheAware,
  quota_aware: quotaAware,
  random,
  weighted_random: weightedRandom,
  latency_based: latencyBased,
  affinity_based: affinityBased,
  power_of_two: powerOfTwo,
  weighted_score: weightedScore,
  prefix_aware: prefixAware,
  cost_based: costBased,
  kv_aware: kvAware,
} as const;

/** A built-in strategy's name. */
export type StrategyName = keyof typeof BUILT_IN;

/** The built-in registry, for RouterDeps.strategies and the scenario schema. */
export const STRATEGIES: StrategyRegistry = Object.freeze(BUILT_IN);

/** The built-in names, in registry order. */
export const STRATEGY_NAMES = Object.keys(BUILT_IN) as StrategyName[];
