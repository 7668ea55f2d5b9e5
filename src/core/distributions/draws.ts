/**
 * The standard draws the distribution kinds are built from: normal and exponential by ziggurat, gamma by
 * Marsaglia and Tsang. Each takes its uniform numbers from the given source, in a fixed order, so a seed
 * gives the same values on every run; none allocates.
 */
import type { UniformSource } from './kind.js';

/**
 * Ziggurat tables (Marsaglia and Tsang 2000, 256 layers), built once at module load. Each draw takes one
 * 32-bit word from the source (Alea yields exactly 32 bits: next() * 2^32 is an integer): the low 8 bits pick
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

/** Standard normal draw (ziggurat, 256 layers; stateless, deterministic for a given source). */
export function normal01(rng: UniformSource): number {
  const w = (rng.next() * TWO32) | 0;
  const i = w & 255;
  const hz = w >> 8; // signed, in [-2^23, 2^23)
  if (Math.abs(hz) < KN[i]) return hz * WN[i];
  return normalSlow(rng, hz, i);
}

/** The ziggurat's rare path: the tail beyond ZN_R (layer 0) or the wedge of a layer's edge. */
function normalSlow(rng: UniformSource, hz0: number, i0: number): number {
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

/** Exponential(1) draw (ziggurat, 256 layers; stateless, deterministic for a given source). */
export function exp01(rng: UniformSource): number {
  const w = rng.next() * TWO32; // integer in [0, 2^32)
  const i = w & 255;
  const jz = w >>> 8; // unsigned, in [0, 2^24)
  if (jz < KE[i]) return jz * WE[i];
  return expSlow(rng, jz, i);
}

/** The exponential ziggurat's rare path: the tail beyond ZE_R (memoryless) or a layer's wedge. */
function expSlow(rng: UniformSource, jz0: number, i0: number): number {
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
export function gamma1(rng: UniformSource, shape: number): number {
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
