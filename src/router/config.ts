/**
 * RoutingConfig and every router default, in one place (the scenario loader and the library both read
 * DEFAULT_ROUTING_CONFIG, so the same file means the same behaviour from every entry point).
 * Times are milliseconds.
 */

export const STRATEGY_NAMES = [
  'round_robin',
  'least_loaded',
  'cache_aware',
  'quota_aware',
  'random',
  'weighted_random',
  'latency_based',
  'affinity_based',
  'power_of_two',
  'weighted_score',
  'prefix_aware',
  'cost_based',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface AbTestConfig {
  model_a: string;
  model_b: string;
  /** Share of traffic sent to model_a, 0..1. */
  split: number;
}

/** The split of an A/B test that names none. */
export const DEFAULT_AB_SPLIT = 0.5;

export interface RoutingConfig {
  strategy: StrategyName;
  /** Strategy-specific settings, validated by the strategy's builder (e.g. weighted_score weights). */
  strategy_options: Record<string, unknown>;
  health_checks: boolean;
  quota_checks: boolean;
  cache_optimization: boolean;
  max_load_threshold: number;
  min_cache_hit_rate: number;
  /** Session affinity is kept for every request with a session id when true (always for affinity_based). */
  session_affinity: boolean;
  affinity_timeout_ms: number;
  ab_test: AbTestConfig | null;
  max_retries: number;
  retry_delay_ms: number;
  /** Each further retry waits retry_delay_ms * retry_backoff^(n-1). */
  retry_backoff: number;
  /** EWMA smoothing for observed latency (weight of the newest sample). */
  latency_ewma_alpha: number;
}

export const DEFAULT_ROUTING_CONFIG: Readonly<RoutingConfig> = Object.freeze({
  strategy: 'least_loaded',
  strategy_options: {},
  health_checks: true,
  quota_checks: true,
  cache_optimization: true,
  max_load_threshold: 0.9,
  min_cache_hit_rate: 0.3,
  session_affinity: false,
  affinity_timeout_ms: 300_000,
  ab_test: null,
  max_retries: 3,
  retry_delay_ms: 100,
  retry_backoff: 2,
  latency_ewma_alpha: 0.2,
});
