/**
 * resolveRoutingConfig: a partial config (from a scenario, a service, a test) -> a complete RoutingConfig
 * with every missing field taken from DEFAULT_ROUTING_CONFIG. Throws RoutingConfigError naming the field
 * and the allowed values or range for: unknown keys or strategy, A/B models not in `knownModels` (when
 * given), a split outside 0..1, negative thresholds, timeouts, retries or delays, and (via the strategy's
 * own builder, prefixed with its name) bad strategy_options.
 */

import { getStrategy } from '../strategies/registry.js';
import {
  type AbTestConfig,
  DEFAULT_AB_SPLIT,
  DEFAULT_ROUTING_CONFIG,
  type RoutingConfig,
  STRATEGY_NAMES,
} from './config.js';
import { RoutingConfigError } from './errors.js';

const KEYS = Object.keys(DEFAULT_ROUTING_CONFIG) as (keyof RoutingConfig)[];

function fail(field: string, message: string): never {
  throw new RoutingConfigError(field, `${field} ${message}`);
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') fail(field, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function num(v: unknown, field: string, min: number, max: number, integer = false): number {
  const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `in ${min}..${max}`;
  const what = integer ? 'an integer' : 'a number';
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    fail(field, `must be ${what} ${range}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function alpha(v: unknown): number {
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) {
    fail('latency_ewma_alpha', `must be a number in (0, 1], got ${JSON.stringify(v)}`);
  }
  return v;
}

function abTest(v: unknown, knownModels: readonly string[] | undefined): AbTestConfig | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || Array.isArray(v)) {
    fail('ab_test', 'must be { model_a, model_b, split } or null');
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'model_a' && key !== 'model_b' && key !== 'split') {
      fail(`ab_test.${key}`, 'is not a known key (allowed: model_a, model_b, split)');
    }
  }
  const models = [o.model_a, o.model_b] as const;
  const names = ['ab_test.model_a', 'ab_test.model_b'];
  for (let k = 0; k < 2; k++) {
    const m = models[k];
    if (typeof m !== 'string' || m === '') fail(names[k], `must be a model id, got ${JSON.stringify(m)}`);
    if (knownModels && !knownModels.includes(m)) {
      fail(names[k], `names unknown model ${JSON.stringify(m)} (known: ${knownModels.join(', ') || 'none'})`);
    }
  }
  const split = o.split === undefined ? DEFAULT_AB_SPLIT : num(o.split, 'ab_test.split', 0, 1);
  return { model_a: o.model_a as string, model_b: o.model_b as string, split };
}

/** See the module comment. `knownModels` enables the A/B model check. */
export function resolveRoutingConfig(
  input: Partial<RoutingConfig>,
  knownModels?: readonly string[],
): RoutingConfig {
  for (const key of Object.keys(input)) {
    if (!(KEYS as string[]).includes(key)) fail(key, `is not a routing option (allowed: ${KEYS.join(', ')})`);
  }
  const d = DEFAULT_ROUTING_CONFIG;
  const get = <K extends keyof RoutingConfig>(k: K): unknown => (input[k] === undefined ? d[k] : input[k]);
  const strategy = get('strategy');
  if (typeof strategy !== 'string' || !(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    fail('strategy', `must be one of ${STRATEGY_NAMES.join(', ')}; got ${JSON.stringify(strategy)}`);
  }
  const options = get('strategy_options');
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail('strategy_options', 'must be a map of option names to values');
  }
  const config: RoutingConfig = {
    strategy: strategy as RoutingConfig['strategy'],
    strategy_options: { ...(options as Record<string, unknown>) },
    health_checks: bool(get('health_checks'), 'health_checks'),
    quota_checks: bool(get('quota_checks'), 'quota_checks'),
    cache_optimization: bool(get('cache_optimization'), 'cache_optimization'),
    max_load_threshold: num(get('max_load_threshold'), 'max_load_threshold', 0, Number.POSITIVE_INFINITY),
    min_cache_hit_rate: num(get('min_cache_hit_rate'), 'min_cache_hit_rate', 0, 1),
    session_affinity: bool(get('session_affinity'), 'session_affinity'),
    affinity_timeout_ms: num(get('affinity_timeout_ms'), 'affinity_timeout_ms', 0, Number.POSITIVE_INFINITY),
    ab_test: abTest(get('ab_test'), knownModels),
    max_retries: num(get('max_retries'), 'max_retries', 0, Number.POSITIVE_INFINITY, true),
    retry_delay_ms: num(get('retry_delay_ms'), 'retry_delay_ms', 0, Number.POSITIVE_INFINITY),
    retry_backoff: num(get('retry_backoff'), 'retry_backoff', 1, Number.POSITIVE_INFINITY),
    latency_ewma_alpha: alpha(get('latency_ewma_alpha')),
  };
  // The strategy validates its own options now, so a bad option fails at construction, not mid-run.
  getStrategy(config.strategy).build(config.strategy_options, { models: [], config });
  return config;
}
