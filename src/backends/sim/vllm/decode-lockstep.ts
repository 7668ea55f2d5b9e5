/**
 * The decoding sequences of a VllmScheduler held in lockstep, so that a step of decodes costs O(1), not
 * O(running): while every running sequence decodes (one token a step) and each step schedules all of
 * them, a sequence's state is a function of the steps done since it entered, and only three things need
 * work per step, each kept by count or by time:
 * - the batch's aggregates: n sequences, n tokens, n logits, and Σ (computed + 1) pairs and KV tokens,
 *   from the running sum of computed tokens (all integers: the sums are exact in any order);
 * - KV blocks: a decoding sequence holds ceil(computed / block_size) blocks (block_size divides the room
 *   a sequence has, and it never has a block's worth to spare), so it takes one more exactly when its
 *   computed tokens are a multiple of block_size at a step's start: sequences are counted by
 *   (computed − tick) mod block_size, the class that crosses at a tick is one count;
 * - finishing: a sequence finishes at the tick where its generated tokens reach output_tokens, kept in a
 *   min-heap of ticks.
 * The scheduler leaves lockstep (takes every sequence's state back, unlockAll) before any step that is
 * not all decodes, that does not fit the token budget, whose blocks do not fit, and before a cancel.
 */
import { grown } from '../../../engine/grow.js';
import type { StepBatch } from './physics.js';
import type { SeqState } from './seq-state.js';

export class DecodeLockstep {
  /** Lockstep steps completed. */
  tick = 0;
  /** Sequences held, and Σ of their computed tokens now. */
  n = 0;
  sumComputed = 0;
  private readonly bs: number;
  /** Sequences held by class (computed − tick) mod block_size: those of class −tick take a block next step. */
  private readonly cross: Int32Array;
  /** (−tick) mod block_size, kept as tick advances. */
  private crossClass = 0;
  // Per sequence (by pool index): held, and its state when it entered (at tick t0).
  private on = new Uint8Array(64);
  private cls = new Int32Array(64);
  private c0 = new Float64Array(64);
  private t0 = new Float64Array(64);
  private g0 = new Float64Array(64);
  private priv0 = new Float64Array(64);
  private room0 = new Float64Array(64);
  /** Min-heap of (finishing tick, sequence). */
  private hKey = new Float64Array(64);
  private hSeq = new Int32Array(64);
  private hn = 0;

  constructor(blockSize: number) {
    this.bs = blockSize;
    this.cross = new Int32Array(blockSize);
  }

  /** True when sequence s is held. */
  holds(s: number): boolean {
    return s < this.on.length && this.on[s] === 1;
  }

  /** Sequences that take a KV block at the next step. */
  crossing(): number {
    return this.cross[this.crossClass];
  }

  /** Hold decoding sequence s (computed c, generated g < output, priv and room as the scheduler has them). */
  enter(s: number, c: number, g: number, priv: number, room: number, output: number): void {
    if (s >= this.on.length) this.grow(s + 1);
    this.on[s] = 1;
    this.c0[s] = c;
    this.t0[s] = this.tick;
    this.g0[s] = g;
    this.priv0[s] = priv;
    this.room0[s] = room;
    const bs = this.bs;
    const k = (((c - this.tick) % bs) + bs) % bs;
    this.cls[s] = k;
    this.cross[k]++;
    this.n++;
    this.sumComputed += c;
    this.push(this.tick + output - g, s);
  }

  /** Add a step of every held sequence to `b`: one token and one logit each, Σ (computed + 1) pairs. */
  addStep(b: StepBatch): void {
    const n = this.n;
    const pairs = this.sumComputed + n;
    b.tokens += n;
    b.seqs += n;
    b.logits += n;
    b.pairs += pairs;
    b.kvTokens += pairs;
  }

  /** Every held sequence computed one more token (a lockstep step completed). */
  advance(): void {
    this.tick++;
    this.crossClass = this.crossClass === 0 ? this.bs - 1 : this.crossClass - 1;
    this.sumComputed += this.n;
  }

  /** A held sequence that finished at this tick (taken off the heap, still held), or -1. */
  popFinished(): number {
    if (this.hn === 0 || this.hKey[0] !== this.tick) return -1;
    const s = this.hSeq[0];
    this.pop();
    return s;
  }

  /**
   * Write held sequence s's state into `q` and drop it, without the counts (clear() follows for all).
   * planned: a step is planned and its token's block taken.
   */
  unlock(s: number, planned: boolean, q: SeqState): void {
    const bs = this.bs;
    const c = this.c0[s] + (this.tick - this.t0[s]);
    const room = Math.ceil((planned ? c + 1 : c) / bs) * bs;
    q.computed[s] = c;
    q.known[s] = c + 1;
    q.generated[s] = this.g0[s] + (this.tick - this.t0[s]);
    q.room[s] = room;
    q.priv[s] = this.priv0[s] + (room - this.room0[s]) / bs;
    this.on[s] = 0;
  }

  /** Let go of held sequence s, finished (already off the heap), its state written into `q`. */
  leave(s: number, q: SeqState): void {
    this.cross[this.cls[s]]--;
    this.n--;
    this.sumComputed -= this.c0[s] + (this.tick - this.t0[s]);
    this.unlock(s, false, q);
  }

  /** Drop held sequence s without the counts (clear() follows for all of them). */
  forget(s: number): void {
    this.on[s] = 0;
  }

  /** Let go of every held sequence, once the caller has forgotten each (and taken its state). */
  clear(): void {
    this.cross.fill(0);
    this.n = 0;
    this.sumComputed = 0;
    this.hn = 0;
  }

  private push(key: number, s: number): void {
    if (this.hn === this.hKey.length) {
      this.hKey = grown(this.hKey, 2 * this.hn);
      this.hSeq = grown(this.hSeq, 2 * this.hn);
    }
    const k = this.hKey;
    const q = this.hSeq;
    let i = this.hn++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p] <= key) break;
      k[i] = k[p];
      q[i] = q[p];
      i = p;
    }
    k[i] = key;
    q[i] = s;
  }

  private pop(): void {
    const k = this.hKey;
    const q = this.hSeq;
    const last = --this.hn;
    const key = k[last];
    const s = q[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && k[c + 1] < k[c]) c++;
      if (key <= k[c]) break;
      k[i] = k[c];
      q[i] = q[c];
      i = c;
    }
    k[i] = key;
    q[i] = s;
  }

  private grow(min: number): void {
    let cap = this.on.length;
    while (cap < min) cap *= 2;
    this.on = grown(this.on, cap);
    this.cls = grown(this.cls, cap);
    this.c0 = grown(this.c0, cap);
    this.t0 = grown(this.t0, cap);
    this.g0 = grown(this.g0, cap);
    this.priv0 = grown(this.priv0, cap);
    this.room0 = grown(this.room0, cap);
  }
}
