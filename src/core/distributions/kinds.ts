/**
 * Every distribution kind a scenario can name, one record each (see kind.ts), and the two entry points
 * built on them: loadDistribution (parsed -> loaded) and makeSampler. Adding a kind is one record here
 * plus its line in DISTRIBUTION_KINDS; the schema, the types and `routesim schema` follow.
 */
import { z } from 'zod';
import { exp01, gamma1, normal01 } from './draws.js';
import { type DistributionKind, defineKind, type FileSamples, type Sampler } from './kind.js';

/** z such that P(Z <= z) = 0.99 for a standard normal. */
const Z99 = 2.3263478740408408;
/** The widest gamma: cv 100 is a shape of 1e-4, whose draws still stay finite. */
const MAX_CV = 100;

const fixed = defineKind({
  name: 'fixed',
  description: 'Always the same value.',
  params: (q) => ({ value: q() }),
  summary: (d) => ({ mean: d.value, p99: d.value }),
  sampler: (d) => {
    const v = d.value;
    return () => v;
  },
});

const uniform = defineKind({
  name: 'uniform',
  description: 'Uniform between min and max.',
  params: (q) => ({ min: q(), max: q() }),
  check: (d) => (d.max < d.min ? { param: 'max', message: 'uniform needs min <= max' } : null),
  summary: (d) => ({ mean: (d.min + d.max) / 2, p99: d.min + 0.99 * (d.max - d.min) }),
  sampler: (d) => {
    if (!(d.max >= d.min)) throw new RangeError(`uniform: max (${d.max}) must be >= min (${d.min})`);
    const lo = d.min;
    const span = d.max - d.min;
    return (rng) => lo + span * rng.next();
  },
});

const exponential = defineKind({
  name: 'exponential',
  description: 'Exponential with this mean.',
  params: (q) => ({ mean: q() }),
  check: (d) => (d.mean > 0 ? null : { param: 'mean', message: 'exponential needs a mean more than 0' }),
  summary: (d) => ({ mean: d.mean, p99: d.mean * Math.log(100) }),
  sampler: (d) => {
    if (!(d.mean > 0)) throw new RangeError(`exponential: mean must be > 0, got ${d.mean}`);
    const m = d.mean;
    return (rng) => m * exp01(rng);
  },
});

const normal = defineKind({
  name: 'normal',
  description: 'Normal, truncated at zero.',
  params: (q) => ({ mean: q(), stddev: q() }),
  summary: (d) => ({ mean: d.mean, p99: d.mean + Z99 * d.stddev }),
  sampler: (d) => {
    const { mean, stddev } = d;
    // Quantities here are times and lengths: truncate at zero rather than return negatives.
    return (rng) => Math.max(0, mean + stddev * normal01(rng));
  },
});

const lognormal = defineKind({
  name: 'lognormal',
  description: 'Lognormal given by its median and 99th percentile.',
  params: (q) => ({ median: q(), p99: q() }),
  check: (d) =>
    d.median > 0 && d.p99 >= d.median ? null : { param: 'p99', message: 'lognormal needs 0 < median <= p99' },
  // mean = median * exp(sigma^2 / 2): a wide p99/median ratio makes the mean far larger than the p99.
  summary: (d) => {
    const sigma = Math.log(d.p99 / d.median) / Z99;
    return { mean: d.median * Math.exp((sigma * sigma) / 2), p99: d.p99 };
  },
  sampler: (d) => {
    if (!(d.median > 0 && d.p99 >= d.median)) {
      throw new RangeError(`lognormal: need 0 < median <= p99, got median ${d.median}, p99 ${d.p99}`);
    }
    const mu = Math.log(d.median);
    const sigma = Math.log(d.p99 / d.median) / Z99;
    return (rng) => Math.exp(mu + sigma * normal01(rng));
  },
});

const gamma = defineKind({
  name: 'gamma',
  description: 'Gamma with this mean and coefficient of variation.',
  params: (q) => ({
    mean: q(),
    cv: z
      .number()
      .positive()
      .max(MAX_CV)
      .describe(`Coefficient of variation, more than 0, at most ${MAX_CV}.`),
  }),
  check: (d) => (d.mean > 0 ? null : { param: 'mean', message: 'gamma needs a mean more than 0' }),
  // The p99 of a gamma has no closed form; for cv <= MAX_CV the mean bounds what a run sees.
  summary: (d) => ({ mean: d.mean, p99: d.mean }),
  sampler: (d) => {
    if (!(d.mean > 0 && d.cv > 0)) throw new RangeError(`gamma: mean and cv must be > 0`);
    const shape = 1 / (d.cv * d.cv);
    const scale = d.mean / shape;
    return (rng) => scale * gamma1(rng, shape);
  },
});

const pareto = defineKind({
  name: 'pareto',
  description: 'Pareto (heavy tail) with this scale (minimum) and shape.',
  params: (q) => ({
    scale: q(),
    shape: z.number().gt(1).describe('Tail index, more than 1 (at or below 1 the mean is infinite).'),
  }),
  check: (d) => (d.scale > 0 ? null : { param: 'scale', message: 'pareto needs a scale more than 0' }),
  summary: (d) => ({ mean: (d.scale * d.shape) / (d.shape - 1), p99: d.scale * 100 ** (1 / d.shape) }),
  sampler: (d) => {
    if (!(d.scale > 0 && d.shape > 0)) throw new RangeError(`pareto: scale and shape must be > 0`);
    const { scale, shape } = d;
    return (rng) => scale / (1 - rng.next()) ** (1 / shape);
  },
});

const empirical = defineKind({
  name: 'empirical',
  description: 'Draws uniformly from recorded samples (a list, or a file).',
  params: (q) => ({
    samples: z.array(q()).min(1).optional().describe('The samples to draw from, uniformly.'),
    file: z.string().min(1).optional().describe('A file of samples, one per line, relative to the scenario.'),
  }),
  check: (d) =>
    (d.samples === undefined) === (d.file === undefined)
      ? { message: 'empirical needs exactly one of `samples` or `file`' }
      : null,
  // Each sample is in range (a list here, a file when the loader reads it), so the mean and p99 are too.
  summary: () => null,
  load: (d, fileSamples): { dist: 'empirical'; samples: number[] } => ({
    dist: 'empirical',
    samples: d.samples ? [...d.samples] : fileSamples(d.file ?? ''),
  }),
  sampler: (d) => {
    if (d.samples.length === 0) throw new RangeError('empirical: needs at least one sample');
    const s = Float64Array.from(d.samples);
    const n = s.length;
    return (rng) => s[Math.floor(rng.next() * n)];
  },
});

const geometric = defineKind({
  name: 'geometric',
  description: 'Counts 1, 2, 3, ... with this mean (e.g. turns per session).',
  params: (q) => ({ mean: z.number().min(1).max(q.max).describe(`The mean, at least 1.`) }),
  countsOnly: true,
  summary: (d) => ({
    mean: d.mean,
    p99: d.mean === 1 ? 1 : 1 + Math.floor(Math.log(0.01) / Math.log(1 - 1 / d.mean)),
  }),
  sampler: (d) => {
    if (!(d.mean >= 1)) throw new RangeError(`geometric: mean must be >= 1, got ${d.mean}`);
    if (d.mean === 1) return () => 1;
    // Trials until the first success, p = 1/mean: 1 + floor(ln(1-u) / ln(1-p)).
    const logQ = Math.log(1 - 1 / d.mean);
    return (rng) => 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
  },
});

/** Every kind, in the order the schema lists them. */
export const DISTRIBUTION_KINDS = [
  fixed,
  uniform,
  exponential,
  normal,
  lognormal,
  gamma,
  pareto,
  empirical,
  geometric,
] as const;

type Kind = (typeof DISTRIBUTION_KINDS)[number];

/** A distribution of a quantity as loaded (ms for times, tokens for lengths): what samplers draw from. */
export type Distribution = Kind extends infer K
  ? K extends DistributionKind<string, unknown, infer L>
    ? L
    : never
  : never;

/** A distribution as the scenario file's schema outputs it: empirical may still name a `file`. */
export type ParsedDistribution = Kind extends infer K
  ? K extends DistributionKind<string, infer R, unknown>
    ? R
    : never
  : never;

type AnyKind = DistributionKind<string, ParsedDistribution, Distribution>;
const BY_NAME = new Map<string, AnyKind>(DISTRIBUTION_KINDS.map((k) => [k.name, k as unknown as AnyKind]));

/** The loaded form of a parsed distribution; `fileSamples` reads the file an empirical one names. */
export function loadDistribution(d: ParsedDistribution, fileSamples: FileSamples): Distribution {
  return (BY_NAME.get(d.dist) as AnyKind).load(d, fileSamples);
}

/** A sampler of `d`. Throws RangeError on parameters that make no sense (the loader validates first). */
export function makeSampler(d: Distribution): Sampler {
  return (BY_NAME.get(d.dist) as AnyKind).sampler(d);
}
