/**
 * What one distribution kind is, in one record: the `{ dist: NAME, ... }` object a scenario accepts (its
 * description and accepted range), the loaded form the code uses (its type derived from that schema), the
 * step from one to the other, and the sampler. kinds.ts holds the kinds; scenario/values.ts builds the
 * file's schema from them, and traffic and backends draw through makeSampler.
 */
import { z } from 'zod';

/** Uniform draws in [0, 1): all a sampler needs of a random stream (engine/rng.ts's Rng is this type). */
export interface UniformSource {
  next(): number;
}

/** One draw. Built once per distribution (constants precomputed); a call allocates nothing. */
export type Sampler = (rng: UniformSource) => number;

/**
 * The schema of a parameter that is the distributed quantity itself: a duration that outputs ms for
 * times, a number >= 0 for counts. The scenario supplies it (duration syntax is the scenario file's),
 * with the largest value a run honours (`max`, also the bound on the mean and p99) and how to show one.
 */
export interface Quantity {
  (): z.ZodType<number, unknown>;
  readonly max: number;
  show(v: number): string;
}

/** A kind's mean and 99th percentile (null: not known before its samples are read). */
export interface Summary {
  mean: number;
  p99: number;
}

/** A range problem across parameters; `param` is the key it is reported at (absent: the whole object). */
interface RangeProblem {
  param?: string;
  message: string;
}

/** Samples of a file the user named (empirical's `file:`), read and parsed by the scenario loader. */
export type FileSamples = (file: string) => number[];

/** A mean or p99 that is not finite or above the quantity's max, as a problem. */
function bounded(name: string, d: object, s: Summary | null, q: Quantity): RangeProblem | null {
  // A parameter out of range is reported at the parameter already.
  if (s === null || Object.values(d).some((v) => typeof v === 'number' && !(v <= q.max))) return null;
  for (const [what, v] of [
    ['mean', s.mean],
    ['p99', s.p99],
  ] as const) {
    if (!(v <= q.max)) {
      const shown = Number.isFinite(v) ? q.show(Number(v.toPrecision(4))) : 'no finite value';
      return {
        message: `${name} has a ${what} of ${shown}; the mean and p99 of a distribution must be at most ${q.show(q.max)}`,
      };
    }
  }
  return null;
}

type Flat<T> = { [K in keyof T]: T[K] };
/** A kind's object as parsed from the file: quantities already in ms or tokens. */
type Parsed<N extends string, P extends z.ZodRawShape> = Flat<{ dist: N } & z.output<z.ZodObject<P>>>;

/** One kind. `Raw` is what the file's schema outputs, `Loaded` what the simulator samples from. */
export interface DistributionKind<N extends string, Raw, Loaded> {
  readonly name: N;
  /** Offered for counts only (a geometric number of turns), not for times. */
  readonly countsOnly: boolean;
  /** The strict `{ dist: N, ... }` object over quantity `q`: described, range-checked, unknown keys refused. */
  schema(q: Quantity): z.ZodObject;
  /** The parsed object -> the loaded form (a copy: the result shares nothing with `raw`). */
  load(raw: Raw, fileSamples: FileSamples): Loaded;
  /** Builds the sampler; throws RangeError on parameters that make no sense (the loader checks first). */
  sampler(d: Loaded): Sampler;
}

/**
 * Builds a kind from its name, description, parameters (`params(q)`: zod schemas, each with its own range)
 * and the checks across them. Without `load`, the loaded form is the parsed object, copied.
 */
export function defineKind<const N extends string, P extends z.ZodRawShape, L = Parsed<N, P>>(def: {
  name: N;
  description: string;
  params: (q: Quantity) => P;
  countsOnly?: boolean;
  check?: (d: Parsed<N, P>) => RangeProblem | null;
  /** Mean and p99 of valid parameters, checked against the quantity's max (absurd tails are refused). */
  summary: (d: Parsed<N, P>) => Summary | null;
  load?: (d: Parsed<N, P>, fileSamples: FileSamples) => L;
  sampler: (d: L) => Sampler;
}): DistributionKind<N, Parsed<N, P>, L> {
  const { name, description, params, check, summary } = def;
  return {
    name,
    countsOnly: def.countsOnly ?? false,
    schema(q) {
      const object = z.strictObject({ dist: z.literal(name), ...params(q) });
      const checked = object.superRefine((d, ctx) => {
        const problem = check?.(d as Parsed<N, P>) ?? bounded(name, d, summary(d as Parsed<N, P>), q);
        if (problem) {
          ctx.addIssue({
            code: 'custom',
            path: problem.param ? [problem.param] : [],
            message: problem.message,
          });
        }
      });
      return checked.describe(
        `${description} Its mean and p99 must be finite and at most ${q.show(q.max)}.`,
      ) as unknown as z.ZodObject;
    },
    load: def.load ?? ((d) => ({ ...d }) as unknown as L),
    sampler: def.sampler,
  };
}
