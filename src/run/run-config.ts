/**
 * How a Scenario's sections become the router library's inputs: a model's ModelInfo and the RoutingConfig
 * part of `router:` (without the simulator's own knobs: signals, probes, outlier detection).
 */

import type { ModelSpec } from '../core/types.js';
import { DEFAULT_ROUTING_CONFIG, type RoutingConfig } from '../router/config.js';
import type { ModelInfo } from '../router/types.js';
import type { Scenario } from '../scenario/types.js';

export function modelInfoOf(m: ModelSpec): ModelInfo {
  return {
    id: m.id,
    max_concurrency: m.max_concurrency,
    context_length: m.context_length,
    capabilities: m.capabilities,
    weight: m.weight,
    cost_per_1k_tokens: m.cost_per_1k_tokens,
  };
}

/** The RoutingConfig fields of the scenario's router section (without the simulator's own knobs). */
export function routingConfigOf(r: Scenario['router']): Partial<RoutingConfig> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(DEFAULT_ROUTING_CONFIG)) out[k] = (r as unknown as Record<string, unknown>)[k];
  return out as Partial<RoutingConfig>;
}
