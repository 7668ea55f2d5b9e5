/**
 * Samplers for the scenario's distributions. A sampler is built once (parameters checked, constants
 * precomputed) and then draws from a given Rng with no allocation.
 */
import type { Distribution } from '../scenario/types.js';
import type { Rng } from './rng.js';

export type Sampler = (rng: Rng) => number;

/** z such that P(Z <= z) = 0.99 for a standard normal. */
const Z99 = 2.3263478740408408;

/** Standard normal draw (Box-Muller; the second value is discarded to stay stateless). */
export function normal01(rng: Rng): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 uses the boost u^(1/shape). */
export function gamma1(rng: Rng, shape: number): number {
  if (shape < 1) {
    let u = rng.next();
    while (u <= 0) u = rng.next();
    return gamma1(rng, shape + 1) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal01(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Mean of a distribution (exact where there is a closed form). */
export function meanOf(d: Distribution): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'exponential':
      return d.mean;
    case 'normal':
      return d.mean;
    case 'lognormal': {
      const sigma = Math.log(d.p99 / d.median) / Z99;
      return d.median * Math.exp((sigma * sigma) / 2);
    }
    case 'gamma':
      return d.mean;
    case 'pareto':
      return d.shape > 1 ? (d.shape * d.scale) / (d.shape - 1) : Number.POSITIVE_INFINITY;
    case 'empirical':
      return d.samples.reduce((a, b) => a + b, 0) / d.samples.length;
    case 'geometric':
      return d.mean;
  }
}

/**
 * Build a sampler. Throws RangeError on parameters that make no sense (the scenario loader validates
 * first, so users see its positioned message instead).
 */
export function makeSampler(d: Distribution): Sampler {
  switch (d.dist) {
    case 'fixed': {
      const v = d.value;
      return () => v;
    }
    case 'uniform': {
      if (!(d.max >= d.min)) throw new RangeError(`uniform: max (${d.max}) must be >= min (${d.min})`);
      const lo = d.min;
      const span = d.max - d.min;
      return (rng) => lo + span * rng.next();
    }
    case 'exponential': {
      if (!(d.mean > 0)) throw new RangeError(`exponential: mean must be > 0, got ${d.mean}`);
      const m = d.mean;
      return (rng) => -m * Math.log(1 - rng.next());
    }
    case 'normal': {
      const { mean, stddev } = d;
      // Quantities here are times and lengths: truncate at zero rather than return negatives.
      return (rng) => Math.max(0, mean + stddev * normal01(rng));
    }
    case 'lognormal': {
      if (!(d.median > 0 && d.p99 >= d.median)) {
        throw new RangeError(`lognormal: need 0 < median <= p99, got median ${d.median}, p99 ${d.p99}`);
      }
      const mu = Math.log(d.median);
      const sigma = Math.log(d.p99 / d.median) / Z99;
      return (rng) => Math.exp(mu + sigma * normal01(rng));
    }
    case 'gamma': {
      if (!(d.mean > 0 && d.cv > 0)) throw new RangeError(`gamma: mean and cv must be > 0`);
      const shape = 1 / (d.cv * d.cv);
      const scale = d.mean / shape;
      return (rng) => scale * gamma1(rng, shape);
    }
    case 'pareto': {
      if (!(d.scale > 0 && d.shape > 0)) throw new RangeError(`pareto: scale and shape must be > 0`);
      const { scale, shape } = d;
      return (rng) => scale / (1 - rng.next()) ** (1 / shape);
    }
    case 'empirical': {
      if (d.samples.length === 0) throw new RangeError('empirical: needs at least one sample');
      const s = Float64Array.from(d.samples);
      const n = s.length;
      return (rng) => s[Math.floor(rng.next() * n)];
    }
    case 'geometric': {
      if (!(d.mean >= 1)) throw new RangeError(`geometric: mean must be >= 1, got ${d.mean}`);
      if (d.mean === 1) return () => 1;
      // Trials until the first success, p = 1/mean: 1 + floor(ln(1-u) / ln(1-p)).
      const logQ = Math.log(1 - 1 / d.mean);
      return (rng) => 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
    }
  }
}
