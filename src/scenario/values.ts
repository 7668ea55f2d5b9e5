/**
 * Zod schemas for the scalar values of a scenario file: durations, rates, and distributions of times or
 * token counts. Each parses the text a user writes and outputs the unit used inside the code (ms, per
 * second, tokens). Messages say what was expected and what was found.
 */
import { z } from 'zod';
import type { Quantity } from '../core/distributions/kind.js';
import { DISTRIBUTION_KINDS, type ParsedDistribution } from '../core/distributions/kinds.js';
import { MAX_RATE_PER_S, MAX_TIME_MS, MAX_TOKENS, MIN_PERIOD_MS, showMs } from '../core/limits.js';
import { HEALTH_STATES } from '../core/types.js';
import { DURATION_HINT, describe, parseDuration, parseRate, RATE_HINT } from './durations.js';

const MAX_TIME = showMs(MAX_TIME_MS);
const DURATION_DOC = `A duration: 250ms, 30s, 5m, 1h, 1h30m; a bare number is seconds. At most ${MAX_TIME}.`;
const RATE_DOC = `A rate: 12/s, 600/m, 3600/h; a bare number is per second. At most ${MAX_RATE_PER_S}/s.`;

/** A duration -> milliseconds, in [0, MAX_TIME_MS] (a year: the longest time a run simulates). */
export function duration(description: string) {
  return z
    .union([z.number(), z.string()], { error: (iss) => `${DURATION_HINT}, got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      const r = parseDuration(v);
      if (r.ok && r.value <= MAX_TIME_MS) return r.value;
      const message = r.ok
        ? `a duration is at most ${MAX_TIME} (${MAX_TIME_MS} ms), got ${describeValue(v)}`
        : r.message;
      ctx.issues.push({ code: 'custom', message, input: v });
      return z.NEVER;
    })
    .meta({ description: `${description} ${DURATION_DOC}` });
}

/** A duration that must be more than zero. */
export function positiveDuration(description: string) {
  return duration(description).refine((v) => v > 0, { message: 'must be more than 0' });
}

/** The period of something periodic (probes, timeline buckets): at least MIN_PERIOD_MS. */
export function period(description: string) {
  return duration(`${description} At least ${MIN_PERIOD_MS}ms.`).refine((v) => v >= MIN_PERIOD_MS, {
    message: `must be at least ${MIN_PERIOD_MS}ms`,
  });
}

/** A rate -> per second, in [0, MAX_RATE_PER_S]. */
export function rate(description: string) {
  return z
    .union([z.number(), z.string()], { error: (iss) => `${RATE_HINT}, got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      const r = parseRate(v);
      if (r.ok && r.value <= MAX_RATE_PER_S) return r.value;
      const message = r.ok ? `a rate is at most ${MAX_RATE_PER_S}/s, got ${describeValue(v)}` : r.message;
      ctx.issues.push({ code: 'custom', message, input: v });
      return z.NEVER;
    })
    .meta({ description: `${description} ${RATE_DOC}` });
}

/** A rate that must be more than zero (a process that never fires would never end). */
export function positiveRate(description: string) {
  return rate(`${description} More than 0.`).refine((v) => v > 0, {
    message: 'must be more than 0 (a stream with rate 0 sends nothing; remove it instead)',
  });
}

const describeValue = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

/** A share or probability in [0, 1]. */
export function fraction(description: string) {
  return z.number().min(0).max(1).describe(`${description} (0..1)`);
}

/**
 * The distribution objects (`{ dist: lognormal, median: 180ms, p99: 900ms }`) over one kind of quantity,
 * one option per kind of core/distributions/kinds.ts. `empirical` takes `samples: [...]` or `file:` (one
 * sample per line, read by the loader).
 */
function distributionOf(q: Quantity, counts: boolean) {
  const options = DISTRIBUTION_KINDS.filter((k) => counts || !k.countsOnly).map((k) => k.schema(q));
  return z.discriminatedUnion('dist', options as [z.ZodObject, ...z.ZodObject[]]);
}

const TIME_VALUE = duration('A time.');
const TIME: Quantity = Object.assign(() => TIME_VALUE, {
  max: MAX_TIME_MS,
  show: (ms: number) => `${ms} ms`,
});
/** A number of tokens (or turns) in [0, max]. */
const countValue = (max: number) => z.number().min(0).max(max);
const countOf = (max: number, unit: string): Quantity =>
  Object.assign(() => countValue(max), { max, show: (n: number) => `${n} ${unit}` });
/** Built once, so the JSON Schema can define each a single time and refer to it. */
const TIME_DISTRIBUTION = distributionOf(TIME, false).meta({ id: 'TimeDistribution' });
const COUNT_DISTRIBUTION = distributionOf(countOf(MAX_TOKENS, 'tokens'), true).meta({
  id: 'CountDistribution',
});

/** A time: a duration (fixed) or a distribution of durations -> ms. */
export function timeQuantity(description: string) {
  return z
    .union([duration('A time.'), TIME_DISTRIBUTION], {
      error: (iss) =>
        `expected a duration like 250ms or a distribution like { dist: lognormal, median: 180ms, p99: 900ms }, got ${describe(iss.input)}`,
    })
    .transform(
      (v): ParsedDistribution =>
        typeof v === 'number' ? { dist: 'fixed', value: v } : (v as ParsedDistribution),
    )
    .meta({
      description: `${description} A duration, or a distribution: { dist: lognormal, median: 180ms, p99: 900ms }; value, mean and p99 at most ${MAX_TIME}.`,
    });
}

/**
 * A count of tokens (or, with `max` and `unit`, of turns): a number (fixed) or a distribution of numbers,
 * whose value, mean and p99 are at most `max`.
 */
export function countQuantity(description: string, max = MAX_TOKENS, unit = 'tokens') {
  const dist = max === MAX_TOKENS ? COUNT_DISTRIBUTION : distributionOf(countOf(max, unit), true);
  return z
    .union([countValue(max), dist], {
      error: (iss) =>
        `expected a number or a distribution like { dist: lognormal, median: 600, p99: 4000 }, got ${describe(iss.input)}`,
    })
    .transform(
      (v): ParsedDistribution =>
        typeof v === 'number' ? { dist: 'fixed', value: v } : (v as ParsedDistribution),
    )
    .meta({
      description: `${description} A number, or a distribution: { dist: exponential, mean: 200 }. Value, mean and p99 at most ${max} ${unit}.`,
    });
}

/** A model's health, as written. */
export const healthSchema = z.enum(HEALTH_STATES);

/** An integer of at least `min`. */
export const int = (min: number) => z.number().int().min(min);

/** The limits of a model's quota (`quota:` and the quota event). */
export const quotaLimits = {
  tokens_per_minute: z
    .number()
    .min(0)
    .optional()
    .describe('Tokens per fixed, aligned minute. Absent = no limit.'),
  requests_per_minute: z
    .number()
    .min(0)
    .optional()
    .describe('Requests per fixed, aligned minute. Absent = no limit.'),
};
