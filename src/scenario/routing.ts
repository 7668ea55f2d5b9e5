/**
 * The scenario's side of the router's settings table (router/config.ts ROUTING_SETTINGS): the keys of
 * `router:` and of router events as a user writes them, and their conversion to RoutingConfig fields.
 */
import { z } from 'zod';
import {
  describeSetting,
  ROUTING_SETTINGS,
  type RoutingConfig,
  type RoutingInput,
  type RoutingSetting,
} from '../router/config.js';
import { STRATEGIES, STRATEGY_NAMES } from '../strategies/index.js';
import { duration } from './values.js';

/** The JSON Schema of each strategy's options, for the documentation of `strategy_options`. */
function strategyOptionDocs(): Record<string, unknown>[] {
  return Object.entries(STRATEGIES).map(([name, builder]) => {
    const { $schema: _, ...schema } = z.toJSONSchema(builder.options, {
      io: 'input',
      unrepresentable: 'any',
    });
    return { title: name, description: `strategy_options of ${name}.`, ...schema };
  });
}

/** One routing setting as written in YAML: durations as durations, strategy names from the registry. */
function userSchema(s: RoutingSetting): z.ZodType {
  const text = describeSetting(s);
  if (s.unit === 'duration') return duration(text);
  if (s.field === 'strategy') return z.enum(STRATEGY_NAMES).describe(text);
  if (s.field === 'strategy_options')
    return s.schema.meta({ description: text, anyOf: strategyOptionDocs() });
  return s.schema.describe(text);
}

type UserShape = { [R in (typeof ROUTING_SETTINGS)[number] as R['key']]: z.ZodType<z.output<R['schema']>> };

/** The routing keys of `router:` and router events, one per row of ROUTING_SETTINGS. */
export function routingShape(): UserShape {
  return Object.fromEntries(ROUTING_SETTINGS.map((s) => [s.key, userSchema(s)])) as UserShape;
}

export function optionalShape<T extends Record<string, z.ZodType>>(
  shape: T,
): { [K in keyof T]: z.ZodOptional<T[K]> } {
  const out: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(shape)) out[k] = v.optional();
  return out as { [K in keyof T]: z.ZodOptional<T[K]> };
}

/** Routing keys as written (durations already in ms) -> RoutingConfig fields, for the keys given. */
export function toRoutingChanges(r: RoutingInput): Partial<RoutingConfig> {
  const out: Record<string, unknown> = {};
  const given = r as Record<string, unknown>;
  for (const s of ROUTING_SETTINGS) {
    const v = given[s.key];
    // Objects are copied, so the config owns its values.
    if (v !== undefined) out[s.field] = v !== null && typeof v === 'object' ? { ...v } : v;
  }
  return out as Partial<RoutingConfig>;
}
