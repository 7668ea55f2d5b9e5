/**
 * Samplers for the scenario's distributions. A sampler is built once (parameters checked, constants
 * precomputed) and then draws from a given Rng with no allocation.
 */
import type { Distribution } from '../core/types.js';
import type { Rng } from './rng.js';

export type Sampler = (rng: Rng) => number;

/** z such that P(Z <= z) = 0.99 for a standard normal. */
const Z99 = 2.3263478740408408;

/**
 * Ziggurat tables (Marsaglia and Tsang 2000, 256 layers), built once at module load. Each draw takes one
 * 32-bit word from the Rng (Alea yields exactly 32 bits: next() * 2^32 is an integer): the low 8 bits pick
 * the layer, the remaining 24 bits are the position inside it (for the normal, signed: sign + 23 bits), so
 * layer and position never share bits. ~99% of draws end after one multiply and one compare.
 */
const ZN_R = 3.654152885361009; // right edge of the base strip (normal, 256 layers)
const ZN_V = 0.00492867323399; // area of every layer
const ZE_R = 7.697117470131487; // the same for the exponential
const ZE_V = 0.003949659822581572;
const TWO32 = 4294967296;
const KN = new Float64Array(256);
const WN = new Float64Array(256);
const FN = new Float64Array(256);
const KE = new Float64Array(256);
const WE = new Float64Array(256);
const FE = new Float64Array(256);
{
  const m1 = 8388608; // 2^23: magnitude range of the signed 24-bit position
  let dn = ZN_R;
  let tn = dn;
  const q = ZN_V / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * m1;
  KN[1] = 0;
  WN[0] = q / m1;
  WN[255] = dn / m1;
  FN[0] = 1;
  FN[255] = Math.exp(-0.5 * dn * dn);
  for (let i = 254; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZN_V / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * m1;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
  const m2 = 16777216; // 2^24: range of the unsigned 24-bit position
  let de = ZE_R;
  let te = de;
  const qe = ZE_V / Math.exp(-de);
  KE[0] = (de / qe) * m2;
  KE[1] = 0;
  WE[0] = qe / m2;
  WE[255] = de / m2;
  FE[0] = 1;
  FE[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ZE_V / de + Math.exp(-de));
    KE[i + 1] = (de / te) * m2;
    te = de;
    FE[i] = Math.exp(-de);
    WE[i] = de / m2;
  }
}

/** Standard normal draw (ziggurat, 256 layers; stateless, deterministic for a given Rng). */
export function normal01(rng: Rng): number {
  const w = (rng.next() * TWO32) | 0;
  const i = w & 255;
  const hz = w >> 8; // signed, in [-2^23, 2^23)
  if (Math.abs(hz) < KN[i]) return hz * WN[i];
  return normalSlow(rng, hz, i);
}

/** The ziggurat's rare path: the tail beyond ZN_R (layer 0) or the wedge of a layer's edge. */
function normalSlow(rng: Rng, hz0: number, i0: number): number {
  let hz = hz0;
  let i = i0;
  for (;;) {
    if (i === 0) {
      // Marsaglia's tail method: x ~ Exp(ZN_R) accepted with probability exp(-x^2/2).
      let x: number;
      let y: number;
      do {
        x = -Math.log(1 - rng.next()) / ZN_R;
        y = -Math.log(1 - rng.next());
      } while (y + y < x * x);
      return hz > 0 ? ZN_R + x : -ZN_R - x;
    }
    const x = hz * WN[i];
    if (FN[i] + rng.next() * (FN[i - 1] - FN[i]) < Math.exp(-0.5 * x * x)) return x;
    const w = (rng.next() * TWO32) | 0;
    i = w & 255;
    hz = w >> 8;
    if (Math.abs(hz) < KN[i]) return hz * WN[i];
  }
}

/** Exponential(1) draw (ziggurat, 256 layers; stateless, deterministic for a given Rng). */
export function exp01(rng: Rng): number {
  const w = rng.next() * TWO32; // integer in [0, 2^32)
  const i = w & 255;
  const jz = w >>> 8; // unsigned, in [0, 2^24)
  if (jz < KE[i]) return jz * WE[i];
  return expSlow(rng, jz, i);
}

/** The exponential ziggurat's rare path: the tail beyond ZE_R (memoryless) or a layer's wedge. */
function expSlow(rng: Rng, jz0: number, i0: number): number {
  let jz = jz0;
  let i = i0;
  for (;;) {
    if (i === 0) return ZE_R - Math.log(1 - rng.next());
    const x = jz * WE[i];
    if (FE[i] + rng.next() * (FE[i - 1] - FE[i]) < Math.exp(-x)) return x;
    const w = rng.next() * TWO32;
    i = w & 255;
    jz = w >>> 8;
    if (jz < KE[i]) return jz * WE[i];
  }
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
      return (rng) => m * exp01(rng);
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
