/**
 * Seeded randomness, split into independent streams by purpose, so that changing one consumer (say the
 * router's strategy) never changes what another draws (the traffic): common random numbers.
 */
import seedrandom from 'seedrandom';
import type { UniformSource } from '../core/distributions/kind.js';

/** A random stream as router, strategies and engine take it (never Math.random): uniform draws in [0, 1). */
export type Rng = UniformSource;

/**
 * A fast, seeded stream: seedrandom's Alea, draw for draw. seedrandom seeds it (its Mash of the seed);
 * the generator step is done here on a Float64Array, the same arithmetic in the same order, so every
 * draw is bit-identical to seedrandom.alea(seed)() while the hot path reads and writes one typed array
 * instead of four boxed double properties through a closure.
 */
export class SeededRng implements Rng {
  /** Alea's state [s0, s1, s2, c]. */
  private readonly st = new Float64Array(4);
  constructor(seed: string | number) {
    const init = seedrandom.alea(String(seed), { state: true }).state() as unknown as AleaState;
    const st = this.st;
    st[0] = init.s0;
    st[1] = init.s1;
    st[2] = init.s2;
    st[3] = init.c;
  }
  next(): number {
    const st = this.st;
    const t = 2091639 * st[0] + st[3] * 2.3283064365386963e-10; // 2^-32
    st[0] = st[1];
    st[1] = st[2];
    const c = t | 0;
    st[3] = c;
    const r = t - c;
    st[2] = r;
    return r;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** seedrandom's Alea state (`state()` of a generator made with `{ state: true }`). */
interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/**
 * One seed, many streams: `streams.get('arrivals')` always yields the same sequence for the same seed,
 * whatever other streams are created or consumed.
 */
export class RngStreams {
  private readonly made = new Map<string, SeededRng>();
  constructor(readonly seed: number) {}
  get(purpose: string): SeededRng {
    let r = this.made.get(purpose);
    if (!r) {
      r = new SeededRng(`${this.seed}/${purpose}`);
      this.made.set(purpose, r);
    }
    return r;
  }
}
