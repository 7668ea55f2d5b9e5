/**
 * Zod schemas for the scalar values of a scenario file: durations, rates, and distributions of times or
 * token counts. Each parses the text a user writes and outputs the unit used inside the code (ms, per
 * second, tokens). Messages say what was expected and what was found.
 */
import { z } from 'zod';
import { DURATION_HINT, describe, parseDuration, parseRate, RATE_HINT } from './durations.js';

const DURATION_DOC = 'A duration: 250ms, 30s, 5m, 1h, 1h30m; a bare number is seconds.';
const RATE_DOC = 'A rate: 12/s, 600/m, 3600/h; a bare number is per second.';

/** A duration -> milliseconds (>= 0). */
export function duration(description: string) {
  return z
    .union([z.number(), z.string()], { error: (iss) => `${DURATION_HINT}, got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      const r = parseDuration(v);
      if (r.ok) return r.value;
      ctx.issues.push({ code: 'custom', message: r.message, input: v });
      return z.NEVER;
    })
    .meta({ description: `${description} ${DURATION_DOC}` });
}

/** A duration that must be more than zero. */
export function positiveDuration(description: string) {
  return duration(description).refine((v) => v > 0, { message: 'must be more than 0' });
}

/** A rate -> per second (>= 0). */
export function rate(description: string) {
  return z
    .union([z.number(), z.string()], { error: (iss) => `${RATE_HINT}, got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      const r = parseRate(v);
      if (r.ok) return r.value;
      ctx.issues.push({ code: 'custom', message: r.message, input: v });
      return z.NEVER;
    })
    .meta({ description: `${description} ${RATE_DOC}` });
}

/** A share or probability in [0, 1]. */
export function fraction(description: string) {
  return z.number().min(0).max(1).describe(`${description} (0..1)`);
}

export const DIST_NAMES = [
  'fixed',
  'uniform',
  'exponential',
  'normal',
  'lognormal',
  'gamma',
  'pareto',
  'empirical',
  'geometric',
] as const;

type Quantity = ReturnType<typeof duration> | z.ZodNumber;

/**
 * The distribution objects (`{ dist: lognormal, median: 180ms, p99: 900ms }`) over one kind of quantity.
 * `empirical` takes `samples: [...]` or `file:` (one sample per line, read by the loader).
 */
function distributionOf(q: () => Quantity, counts: boolean) {
  const options = [
    z.strictObject({ dist: z.literal('fixed'), value: q() }).describe('Always the same value.'),
    z
      .strictObject({ dist: z.literal('uniform'), min: q(), max: q() })
      .describe('Uniform between min and max.'),
    z.strictObject({ dist: z.literal('exponential'), mean: q() }).describe('Exponential with this mean.'),
    z
      .strictObject({ dist: z.literal('normal'), mean: q(), stddev: q() })
      .describe('Normal, truncated at zero.'),
    z
      .strictObject({ dist: z.literal('lognormal'), median: q(), p99: q() })
      .describe('Lognormal given by its median and 99th percentile.'),
    z
      .strictObject({
        dist: z.literal('gamma'),
        mean: q(),
        cv: z.number().positive().describe('Coefficient of variation.'),
      })
      .describe('Gamma with this mean and coefficient of variation.'),
    z
      .strictObject({
        dist: z.literal('pareto'),
        scale: q(),
        shape: z.number().positive().describe('Tail index.'),
      })
      .describe('Pareto (heavy tail) with this scale (minimum) and shape.'),
    z
      .strictObject({
        dist: z.literal('empirical'),
        samples: z.array(q()).min(1).optional().describe('The samples to draw from, uniformly.'),
        file: z
          .string()
          .min(1)
          .optional()
          .describe('A file of samples, one per line, relative to the scenario.'),
      })
      .describe('Draws uniformly from recorded samples (a list, or a file).'),
    ...(counts
      ? [
          z
            .strictObject({ dist: z.literal('geometric'), mean: z.number().min(1) })
            .describe('Counts 1, 2, 3, ... with this mean (e.g. turns per session).'),
        ]
      : []),
  ];
  return z
    .discriminatedUnion('dist', options as unknown as [(typeof options)[0], ...(typeof options)[number][]])
    .superRefine((d, ctx) => {
      const v = d as Record<string, unknown>;
      if (
        v.dist === 'lognormal' &&
        !((v.median as number) > 0 && (v.p99 as number) >= (v.median as number))
      ) {
        ctx.addIssue({ code: 'custom', path: ['p99'], message: 'lognormal needs 0 < median <= p99' });
      }
      if (v.dist === 'uniform' && (v.max as number) < (v.min as number)) {
        ctx.addIssue({ code: 'custom', path: ['max'], message: 'uniform needs min <= max' });
      }
      if (v.dist === 'exponential' && !((v.mean as number) > 0)) {
        ctx.addIssue({ code: 'custom', path: ['mean'], message: 'exponential needs a mean more than 0' });
      }
      if (v.dist === 'empirical' && (v.samples === undefined) === (v.file === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'empirical needs exactly one of `samples` or `file`',
        });
      }
    });
}

/** Raw distribution as parsed (before `file:` samples are read); quantities already in ms or tokens. */
export type RawDistribution =
  | { dist: 'fixed'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; stddev: number }
  | { dist: 'lognormal'; median: number; p99: number }
  | { dist: 'gamma'; mean: number; cv: number }
  | { dist: 'pareto'; scale: number; shape: number }
  | { dist: 'empirical'; samples?: number[]; file?: string }
  | { dist: 'geometric'; mean: number };

const TIME_VALUE = duration('A time.');
const COUNT_VALUE = z.number().min(0);
/** Built once, so the JSON Schema can define each a single time and refer to it. */
const TIME_DISTRIBUTION = distributionOf(() => TIME_VALUE, false).meta({ id: 'TimeDistribution' });
const COUNT_DISTRIBUTION = distributionOf(() => COUNT_VALUE, true).meta({ id: 'CountDistribution' });

/** A time: a duration (fixed) or a distribution of durations -> ms. */
export function timeQuantity(description: string) {
  return z
    .union([duration('A time.'), TIME_DISTRIBUTION], {
      error: (iss) =>
        `expected a duration like 250ms or a distribution like { dist: lognormal, median: 180ms, p99: 900ms }, got ${describe(iss.input)}`,
    })
    .transform(
      (v): RawDistribution => (typeof v === 'number' ? { dist: 'fixed', value: v } : (v as RawDistribution)),
    )
    .meta({
      description: `${description} A duration, or a distribution: { dist: lognormal, median: 180ms, p99: 900ms }.`,
    });
}

/** A count of tokens (or turns): a number (fixed) or a distribution of numbers. */
export function countQuantity(description: string) {
  return z
    .union([z.number().min(0), COUNT_DISTRIBUTION], {
      error: (iss) =>
        `expected a number or a distribution like { dist: lognormal, median: 600, p99: 4000 }, got ${describe(iss.input)}`,
    })
    .transform(
      (v): RawDistribution => (typeof v === 'number' ? { dist: 'fixed', value: v } : (v as RawDistribution)),
    )
    .meta({ description: `${description} A number, or a distribution: { dist: exponential, mean: 200 }.` });
}
