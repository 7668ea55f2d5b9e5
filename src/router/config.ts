/**
 * Every routing setting, one row each: the key as users write it under `router:`, the RoutingConfig field,
 * the zod schema of its value (with the accepted range), the default, the description and the unit.
 * RoutingConfig, DEFAULT_ROUTING_CONFIG, resolveRoutingConfig's checks, the scenario file's `router:` keys,
 * their conversion to fields and the README's key list all come from this table. Times are milliseconds.
 * The router knows no strategy by name: `strategy` is checked against the registry it is given.
 */
import { z } from 'zod';
import { RoutingConfigError } from './errors.js';

/** Share of traffic sent to model_a when an ab_test gives no split. */
export const DEFAULT_AB_SPLIT = 0.5;

/** What a resolve step may check a value against. */
export interface ResolveContext {
  /** Model ids; when given, ab_test must name two of them. */
  readonly knownModels?: readonly string[];
  /** The registered strategy names, in registry order. */
  readonly strategyNames: readonly string[];
}

/** One routing setting (see the module comment). */
export interface RoutingSetting<F extends string = string, K extends string = string, T = unknown> {
  /** The RoutingConfig field. */
  readonly field: F;
  /** The key under `router:` (durations drop the field's `_ms`). */
  readonly key: K;
  /** What the setting does, without its default. */
  readonly description: string;
  readonly default: T;
  /** The default as a user writes it, for descriptions and the README list. */
  readonly defaultText: string;
  /** 'duration': written as a duration (250ms, 5m) and held in milliseconds. */
  readonly unit: 'duration' | null;
  /** The value's schema as held in the config (a duration's is the milliseconds). */
  readonly schema: z.ZodType<T>;
  /** Checks a value given in code and returns the one to keep; throws RoutingConfigError naming the field. */
  resolve(value: unknown, ctx: ResolveContext): T;
}

interface Range {
  min?: number;
  /** Exclusive lower bound (instead of min). */
  gt?: number;
  max?: number;
  integer?: boolean;
}

function fail(field: string, message: string): never {
  throw new RoutingConfigError(field, `${field} ${message}`);
}

function got(v: unknown): string {
  return JSON.stringify(v);
}

/** "a number >= 0", "a number in 0..1", "an integer >= 0", "a number in (0, 1]". */
function rangeText(r: Range): string {
  const what = r.integer ? 'an integer' : 'a number';
  if (r.gt !== undefined) return `${what} in (${r.gt}, ${r.max ?? 'Infinity'}]`;
  return r.max === undefined ? `${what} >= ${r.min ?? 0}` : `${what} in ${r.min ?? 0}..${r.max}`;
}

/** A number in `r` (Infinity admitted when there is no max: it turns a threshold off). */
function numberIn(field: string, v: unknown, r: Range): number {
  const ok =
    typeof v === 'number' &&
    !Number.isNaN(v) &&
    (r.gt === undefined ? v >= (r.min ?? 0) : v > r.gt) &&
    (r.max === undefined || v <= r.max) &&
    (!r.integer || Number.isInteger(v));
  if (!ok) fail(field, `must be ${rangeText(r)}, got ${got(v)}`);
  return v as number;
}

function numberSchema(r: Range): z.ZodNumber {
  let s = r.integer ? z.number().int() : z.number();
  s = r.gt === undefined ? s.min(r.min ?? 0) : s.gt(r.gt);
  return r.max === undefined ? s : s.max(r.max);
}

type Base<F extends string, K extends string, T> = Pick<
  RoutingSetting<F, K, T>,
  'field' | 'key' | 'description' | 'default'
> &
  Partial<Pick<RoutingSetting<F, K, T>, 'defaultText'>>;

function bool<F extends string>(field: F, description: string, def: boolean): RoutingSetting<F, F, boolean> {
  return {
    field,
    key: field,
    description,
    default: def,
    defaultText: String(def),
    unit: null,
    schema: z.boolean(),
    resolve(v) {
      if (typeof v !== 'boolean') fail(field, `must be true or false, got ${got(v)}`);
      return v;
    },
  };
}

function num<F extends string>(
  field: F,
  description: string,
  def: number,
  r: Range,
): RoutingSetting<F, F, number> {
  return {
    field,
    key: field,
    description,
    default: def,
    defaultText: String(def),
    unit: null,
    schema: numberSchema(r),
    resolve: (v) => numberIn(field, v, r),
  };
}

/** "5m", "100ms": a default duration as a user would write it. */
function durationText(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function ms<F extends `${string}_ms`>(field: F, description: string, def: number) {
  const key = field.slice(0, -3) as F extends `${infer K}_ms` ? K : never;
  const r: Range = { min: 0 };
  const row: RoutingSetting<F, typeof key, number> = {
    field,
    key,
    description,
    default: def,
    defaultText: durationText(def),
    unit: 'duration',
    schema: numberSchema(r),
    resolve: (v) => numberIn(field, v, r),
  };
  return row;
}

function custom<F extends string, K extends string, T>(
  base: Base<F, K, T>,
  schema: z.ZodType<T>,
  resolve: (v: unknown, ctx: ResolveContext) => T,
): RoutingSetting<F, K, T> {
  return { defaultText: String(base.default), ...base, unit: null, schema, resolve };
}

const abTestSchema = z
  .strictObject({
    model_a: z.string().describe('Model id of arm A.'),
    model_b: z.string().describe('Model id of arm B.'),
    split: z
      .number()
      .min(0)
      .max(1)
      .default(DEFAULT_AB_SPLIT)
      .describe(`Share of traffic sent to model_a (0..1). Default ${DEFAULT_AB_SPLIT}.`),
  })
  .nullable();

/** An A/B split between two models, or null. */
export type AbTestConfig = NonNullable<z.output<typeof abTestSchema>>;

const AB_KEYS = ['model_a', 'model_b', 'split'];

function resolveAbTest(v: unknown, ctx: ResolveContext): AbTestConfig | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || Array.isArray(v))
    fail('ab_test', 'must be { model_a, model_b, split } or null');
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!AB_KEYS.includes(key)) fail(`ab_test.${key}`, `is not a known key (allowed: ${AB_KEYS.join(', ')})`);
  }
  const known = ctx.knownModels;
  for (const k of ['model_a', 'model_b'] as const) {
    const m = o[k];
    if (typeof m !== 'string' || m === '') fail(`ab_test.${k}`, `must be a model id, got ${got(m)}`);
    if (known && !known.includes(m)) {
      fail(`ab_test.${k}`, `names unknown model ${got(m)} (known: ${known.join(', ') || 'none'})`);
    }
  }
  const split =
    o.split === undefined ? DEFAULT_AB_SPLIT : numberIn('ab_test.split', o.split, { min: 0, max: 1 });
  return { model_a: o.model_a as string, model_b: o.model_b as string, split };
}

/** The table, in RoutingConfig's field order (which is also the order of the report's config section). */
export const ROUTING_SETTINGS = [
  custom(
    {
      field: 'strategy',
      key: 'strategy',
      description: 'How the router picks among eligible models.',
      default: 'least_loaded',
    },
    z.string().min(1),
    (v, ctx) => {
      if (typeof v !== 'string' || !ctx.strategyNames.includes(v)) {
        fail('strategy', `must be one of ${ctx.strategyNames.join(', ')}; got ${got(v)}`);
      }
      return v;
    },
  ),
  custom(
    {
      field: 'strategy_options',
      key: 'strategy_options',
      description: 'Settings of the chosen strategy, checked by the strategy (see each strategy below).',
      default: {} as Record<string, unknown>,
      defaultText: "{} (the strategy's own defaults)",
    },
    z.record(z.string(), z.unknown()),
    (v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        fail('strategy_options', 'must be a map of option names to values');
      }
      return { ...(v as Record<string, unknown>) };
    },
  ),
  bool('health_checks', 'Filter out unhealthy (and, as a first choice, degraded) models.', true),
  bool('quota_checks', 'Filter out models without quota room for the request.', true),
  bool('cache_optimization', 'Let cache hit rates count in routing.', true),
  num(
    'max_load_threshold',
    'Models above this load ((in service + queued) / max_concurrency) are not eligible.',
    0.9,
    { min: 0 },
  ),
  num('min_cache_hit_rate', 'Hit rate below which cache_aware ignores the cache (0..1).', 0.3, {
    min: 0,
    max: 1,
  }),
  bool('session_affinity', 'Keep a session on the model it last used.', false),
  ms('affinity_timeout_ms', 'An affinity entry expires after this much inactivity.', 300_000),
  custom(
    {
      field: 'ab_test',
      key: 'ab_test',
      description: 'An A/B split between two models; null or absent = off.',
      default: null as AbTestConfig | null,
      defaultText: 'off',
    },
    abTestSchema,
    resolveAbTest,
  ),
  num('max_retries', 'Retries of a failed attempt, each on another eligible model.', 3, {
    min: 0,
    integer: true,
  }),
  ms('retry_delay_ms', 'Wait before the first retry.', 100),
  num('retry_backoff', 'Each further retry waits retry_delay * backoff^(n-1).', 2, { min: 1 }),
  num('latency_ewma_alpha', 'Weight of the newest sample in the observed-latency EWMA.', 0.2, {
    gt: 0,
    max: 1,
  }),
  ms(
    'request_timeout_ms',
    'Per attempt, from when it is sent: then it is cancelled at the model (slot and KV freed) and retried as a timeout; 0 = none.',
    0,
  ),
  custom(
    {
      field: 'retry_budget',
      key: 'retry_budget',
      description:
        'Retries granted at most this share (0..1) of the requests that arrived in the last retry_budget_window; off = no budget.',
      default: null as number | null,
      defaultText: 'off',
    },
    z.number().min(0).max(1).nullable(),
    (v) => (v === null || v === undefined ? null : numberIn('retry_budget', v, { min: 0, max: 1 })),
  ),
  ms('retry_budget_window_ms', 'The sliding window retry_budget counts over.', 10_000),
] as const;

type Row = (typeof ROUTING_SETTINGS)[number];

/** The router's whole configuration: one field per row of ROUTING_SETTINGS. */
export type RoutingConfig = { -readonly [R in Row as R['field']]: z.output<R['schema']> };

/** Routing settings as a user writes them (keys under `router:`, durations already in ms). */
export type RoutingInput = { [R in Row as R['key']]?: z.output<R['schema']> };

export const DEFAULT_ROUTING_CONFIG: Readonly<RoutingConfig> = Object.freeze(
  Object.fromEntries(ROUTING_SETTINGS.map((s) => [s.field, s.default])) as RoutingConfig,
);

/** A setting's description with its default, as the scenario schema documents it. */
export function describeSetting(s: RoutingSetting): string {
  return `${s.description} Default ${s.defaultText}.`;
}

/** The user-facing router keys, in table order, each with its default and description (README, docs). */
export function routerKeyDocs(): { key: string; default: string; description: string }[] {
  return ROUTING_SETTINGS.map((s) => ({ key: s.key, default: s.defaultText, description: s.description }));
}
