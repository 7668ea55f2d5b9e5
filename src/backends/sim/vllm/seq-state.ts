/**
 * The scheduler's per-sequence state, by pool index, as struct-of-arrays columns that grow with the pool
 * (scheduler.ts says what each means; decode-lockstep.ts writes a lockstep sequence's state back here).
 */
import { grown } from '../../../engine/grow.js';

const NO_UNITS = new Int32Array(0);

export class SeqState {
  /** Tokens computed (prompt and generated), and known (prompt + generated: what it must compute). */
  computed = new Float64Array(64);
  known = new Float64Array(64);
  generated = new Float64Array(64);
  /** Private KV blocks held. */
  priv = new Float64Array(64);
  /** Tokens the blocks a sequence holds (shared + private) have room for: a multiple of block_size. */
  room = new Float64Array(64);
  /** Leading prefix units held. */
  held = new Int32Array(64);
  /** 1 until its first admission (the one that counts for cache statistics). */
  fresh = new Uint8Array(64);
  /** Order of its latest admission into the running set (which is in that order). */
  adm = new Float64Array(64);
  /** The KV units of the prefix units a sequence holds, [0, held): buffers reused across attempts. */
  units: Int32Array[] = Array.from({ length: 64 }, () => NO_UNITS);

  /** Sequence s's unit buffer, with room for n units. */
  unitBuffer(s: number, n: number): Int32Array {
    const b = this.units[s];
    if (b.length >= n) return b;
    const nb = new Int32Array(Math.max(n, 2 * b.length, 16));
    this.units[s] = nb;
    return nb;
  }

  /** Make room for index idx. */
  ensure(idx: number): void {
    if (idx < this.computed.length) return;
    let cap = this.computed.length;
    while (cap <= idx) cap *= 2;
    this.computed = grown(this.computed, cap);
    this.known = grown(this.known, cap);
    this.generated = grown(this.generated, cap);
    this.priv = grown(this.priv, cap);
    this.room = grown(this.room, cap);
    this.held = grown(this.held, cap);
    this.fresh = grown(this.fresh, cap);
    this.adm = grown(this.adm, cap);
    while (this.units.length < cap) this.units.push(NO_UNITS);
  }
}
