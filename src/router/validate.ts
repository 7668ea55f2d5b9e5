/**
 * resolveRoutingConfig: a partial config (from a scenario, a service, a test) -> a complete RoutingConfig
 * with every missing field taken from DEFAULT_ROUTING_CONFIG, checked row by row against ROUTING_SETTINGS.
 * Throws RoutingConfigError naming the field and the allowed values or range for: unknown keys, a
 * strategy not in the registry, A/B models not in `knownModels` (when given), values out of range, and
 * (through the strategy's own parser, prefixed with its name) bad strategy_options.
 */

import { DEFAULT_ROUTING_CONFIG, ROUTING_SETTINGS, type RoutingConfig } from './config.js';
import { RoutingConfigError } from './errors.js';
import type { StrategyBuilder, StrategyRegistry } from './strategy.js';

const FIELDS: readonly string[] = ROUTING_SETTINGS.map((s) => s.field);

/** A checked config with its strategy's builder and parsed options (what a Router builds its picker from). */
export interface ResolvedRouting {
  config: RoutingConfig;
  builder: StrategyBuilder;
  options: unknown;
}

/** See the module comment; also returns the strategy's builder and its parsed options. */
export function resolveRouting(
  input: Partial<RoutingConfig>,
  strategies: StrategyRegistry,
  knownModels?: readonly string[],
): ResolvedRouting {
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) {
      throw new RoutingConfigError(key, `${key} is not a routing option (allowed: ${FIELDS.join(', ')})`);
    }
  }
  const ctx = { knownModels, strategyNames: Object.keys(strategies) };
  const given = input as Record<string, unknown>;
  const defaults = DEFAULT_ROUTING_CONFIG as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const s of ROUTING_SETTINGS) {
    const v = given[s.field];
    out[s.field] = s.resolve(v === undefined ? defaults[s.field] : v, ctx);
  }
  const config = out as RoutingConfig;
  const builder = strategies[config.strategy];
  // The strategy parses its own options now, so a bad option fails at construction, not mid-run.
  return { config, builder, options: builder.parse(config.strategy_options) };
}

/** See the module comment. `knownModels` enables the A/B model check. */
export function resolveRoutingConfig(
  input: Partial<RoutingConfig>,
  strategies: StrategyRegistry,
  knownModels?: readonly string[],
): RoutingConfig {
  return resolveRouting(input, strategies, knownModels).config;
}
