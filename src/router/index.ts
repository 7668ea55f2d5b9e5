/**
 * The router library's public API: what a service (or the simulator) imports. The router comes without
 * strategies: pass a registry in RouterDeps.strategies, usually the built-in STRATEGIES of
 * src/strategies/index.ts.
 */

export { AffinityTable } from './affinity.js';
export {
  type AbTestConfig,
  DEFAULT_ROUTING_CONFIG,
  ROUTING_SETTINGS,
  type RoutingConfig,
  type RoutingInput,
  type RoutingSetting,
  routerKeyDocs,
} from './config.js';
export { RoutingConfigError } from './errors.js';
export {
  MemoryCacheView,
  MemoryLoadView,
  MemoryQuotaView,
  MemoryRegistry,
  modelInfo,
} from './memory-views.js';
export { Router, type RouterDeps } from './router.js';
export type { RouterStats } from './stats.js';
export { formatStatus } from './status.js';
export {
  createPickContext,
  loadScore,
  type PickContext,
  type Picker,
  type StrategyBuilder,
  type StrategyContext,
  type StrategyRegistry,
  type Uses,
} from './strategy.js';
export type { Health, ModelInfo, Outcome, OutcomeKind, RouteRequest, RoutingDecision } from './types.js';
export { resolveRoutingConfig } from './validate.js';
export type { CacheView, LoadView, QuotaView, Registry } from './views.js';
