/**
 * Strategy name -> builder, one entry per name in STRATEGY_NAMES (the compiler checks the table is
 * complete). `getStrategy` throws RoutingConfigError naming the allowed values for an unknown name.
 */
import { STRATEGY_NAMES, type StrategyName } from '../router/config.js';
import { RoutingConfigError } from '../router/errors.js';
import type { StrategyBuilder } from '../router/strategy.js';
import { affinityBased } from './affinity-based/index.js';
import { cacheAware } from './cache-aware/index.js';
import { costBased } from './cost-based/index.js';
import { latencyBased } from './latency-based/index.js';
import { leastLoaded } from './least-loaded/index.js';
import { powerOfTwo } from './power-of-two/index.js';
import { prefixAware } from './prefix-aware/index.js';
import { quotaAware } from './quota-aware/index.js';
import { random } from './random/index.js';
import { roundRobin } from './round-robin/index.js';
import { weightedRandom } from './weighted-random/index.js';
import { weightedScore } from './weighted-score/index.js';

export const STRATEGIES: Readonly<Record<StrategyName, StrategyBuilder>> = Object.freeze({
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
});

export function isStrategyName(name: unknown): name is StrategyName {
  return typeof name === 'string' && (STRATEGY_NAMES as readonly string[]).includes(name);
}

/** The builder for `name`; throws RoutingConfigError (field `strategy`) listing the allowed names. */
export function getStrategy(name: unknown): StrategyBuilder {
  if (!isStrategyName(name)) {
    throw new RoutingConfigError(
      'strategy',
      `strategy must be one of ${STRATEGY_NAMES.join(', ')}; got ${JSON.stringify(name)}`,
    );
  }
  return STRATEGIES[name];
}
