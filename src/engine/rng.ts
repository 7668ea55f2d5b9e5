/**
 * Seeded randomness, split into independent streams by purpose, so that changing one consumer (say the
 * router's strategy) never changes what another draws (the traffic): common random numbers.
 */
import seedrandom from 'seedrandom';

/** Uniform draws in [0, 1). Never Math.random in router, strategies or engine. */
export interface Rng {
  next(): number;
}

/** A fast, seeded stream (seedrandom's Alea). */
export class SeededRng implements Rng {
  private readonly prng: seedrandom.PRNG;
  constructor(seed: string | number) {
    this.prng = seedrandom.alea(String(seed));
  }
  next(): number {
    return this.prng();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }
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
