/**
 * How a strategy declares and parses its options: a strict zod schema (unknown keys are errors; each key
 * has a description and, where it has one, a default, so `routesim schema` documents it), parsed by
 * defineStrategy's `parse` into RoutingConfigError messages that name the strategy and the field
 * (`strategy_options.<key>`) and say what is allowed and what was given.
 */
import { z } from 'zod';
import type { RoutingConfig } from '../router/config.js';
import { RoutingConfigError } from '../router/errors.js';
import type { Picker, StrategyBuilder, StrategyContext } from '../router/strategy.js';
import type { ModelInfo } from '../router/types.js';

// Issue messages are templates: {field} becomes the dotted field, {got} the value given.
const FIELD = '{field}';
const GOT = '{got}';

/** A strict options object; an unknown key is reported as an unknown `noun`, listing the allowed keys. */
export function strictOptions<S extends z.core.$ZodLooseShape>(shape: S, noun = 'option', notAMap?: string) {
  const allowed = Object.keys(shape).join(', ') || 'none';
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown ${noun} ${FIELD} (allowed: ${allowed})`
        : (notAMap ?? `${FIELD} must be a map of option names to values, got ${GOT}`),
  });
}

/** A number in min..max with a default. */
export function numberOption(description: string, fallback: number, min: number, max: number) {
  const error = `${FIELD} must be a number in ${min}..${max}, got ${GOT}`;
  return z
    .number({ error })
    .min(min, { error })
    .max(max, { error })
    .default(fallback)
    .describe(`${description} (${min}..${max}). Default ${fallback}.`);
}

/** A finite number >= 0, absent when not given. */
export function nonNegative(description: string) {
  const error = `${FIELD} must be a finite number >= 0, got ${GOT}`;
  return z.number({ error }).min(0, { error }).optional().describe(description);
}

/** The error for the first problem: an unknown key before a bad value (typos should not pass silently). */
function optionsError(name: string, issues: readonly z.core.$ZodIssue[]): RoutingConfigError {
  const iss = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  const path = ['strategy_options', ...iss.path.map(String)];
  if (iss.code === 'unrecognized_keys') path.push(iss.keys[0]);
  const field = path.join('.');
  const text = iss.message.includes(FIELD) ? iss.message : `${FIELD} ${iss.message}`;
  const given = (iss as { input?: unknown }).input;
  return new RoutingConfigError(
    field,
    `${name}: ${text.replace(FIELD, field).replace(GOT, JSON.stringify(given))}`,
  );
}

/** What a strategy module declares; defineStrategy completes it into a StrategyBuilder. */
export interface StrategySpec<O> {
  readonly NAME: string;
  readonly options: z.ZodType<O>;
  readonly pinsSessions?: boolean;
  readonly settings?: readonly (keyof RoutingConfig)[];
  checkModels?(models: readonly ModelInfo[]): void;
  build(options: O, ctx: StrategyContext): Picker;
}

/** A StrategyBuilder whose parse() reads `spec.options` and whose build() checks the models first. */
export function defineStrategy<O>(spec: StrategySpec<O>): StrategyBuilder<O> {
  const check = spec.checkModels ?? (() => {});
  return {
    NAME: spec.NAME,
    options: spec.options,
    pinsSessions: spec.pinsSessions ?? false,
    settings: spec.settings ?? [],
    parse(raw) {
      const r = spec.options.safeParse(raw, { reportInput: true });
      if (!r.success) throw optionsError(spec.NAME, r.error.issues);
      return r.data;
    },
    checkModels: check,
    build(options, ctx) {
      check(ctx.models);
      return spec.build(options, ctx);
    },
  };
}
