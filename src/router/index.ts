/**
 * The router library's public API: what a service (or the simulator) imports.
 */

export { getStrategy, isStrategyName, STRATEGIES } from '../strategies/registry.js';
export { AffinityTable } from './affinity.js';
export {
  type AbTestConfig,
  DEFAULT_ROUTING_CONFIG,
  type RoutingConfig,
  STRATEGY_NAMES,
  type StrategyName,
} from './config.js';
export { RoutingConfigError } from './errors.js';
export {
  MemoryCacheView,
  MemoryLoadView,
  MemoryQuotaView,
  MemoryRegistry,
  modelInfo,
} from './memory-views.js';
export { Router, type RouterDeps, type RouterStats } from './router.js';
export { formatStatus } from './status.js';
export type { Picker, Snapshot, StrategyBuilder, StrategyContext, Uses } from './strategy.js';
export type { Health, ModelInfo, Outcome, OutcomeKind, RouteRequest, RoutingDecision } from './types.js';
export { resolveRoutingConfig } from './validate.js';
export type { CacheView, LoadView, QuotaView, Registry } from './views.js';
