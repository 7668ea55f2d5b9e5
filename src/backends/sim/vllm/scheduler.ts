/**
 * vLLM v1's scheduler as far as it decides latency, over the attempts of one AttemptPool (a sequence is
 * its pool index). One call of schedule() plans a step, complete() applies it when the step ends.
 *
 * schedule(), with a budget of max_num_batched_tokens tokens:
 * 1. Running sequences, oldest first: each gets min(tokens it still needs, budget) — 1 for a decoding
 *    sequence, the rest of its prompt (a chunk) for one still in prefill. When its KV blocks cannot be
 *    allocated, the NEWEST running sequence is preempted (blocks freed, computed tokens forgotten, back to
 *    the head of the waiting queue, to be recomputed), until the blocks fit or the sequence itself was the
 *    newest; then the step has what it has.
 * 2. If nothing was preempted: waiting sequences, first come first served, while there is budget and
 *    fewer than max_num_seqs run: a sequence's leading prefix units that are cached count as computed
 *    (at most prompt − 1 tokens, in whole blocks: vLLM always computes the last prompt token), the rest of
 *    its tokens are chunked into the budget; it stops at the first that does not fit in the free blocks.
 * complete(): every scheduled sequence has its chunk computed; full prefix units it has computed become
 * cached (kv-blocks.ts); one whose computed tokens reach its known tokens samples a token: the first
 * sampled token is its first token; at output_tokens it finishes and frees its blocks. Attempts drawn to
 * fail (pool.fail) fail where their first token would have come.
 * A sequence needs ceil(tokens / block_size) blocks for the tokens it has computed or is computing.
 */
import { grown } from '../../../engine/grow.js';
import type { AttemptPool } from '../pool.js';
import type { IntRing } from '../ring.js';
import type { KvBlocks } from './kv-blocks.js';
import type { StepBatch } from './physics.js';

/** What the scheduler tells its model at a step's end (after its own state is settled). */
export interface SchedulerHost {
  /** Sequence `idx` left the waiting queue for the first time (its cache lookup is in pool.cached). */
  admitted(idx: number): void;
  /** Sequence `idx` sampled its first token now. */
  firstToken(idx: number): void;
  /** Sequence `idx` is done (ok: produced all its tokens; else drawn to fail) and holds nothing now. */
  finished(idx: number, ok: boolean): void;
}

export interface SchedulerConfig {
  maxNumSeqs: number;
  maxBatchedTokens: number;
  blockSize: number;
  prefixCaching: boolean;
}

export class VllmScheduler {
  maxNumSeqs: number;
  private readonly budget: number;
  private readonly bs: number;
  private readonly caching: boolean;
  private readonly pool: AttemptPool;
  private readonly waiting: IntRing;
  readonly kv: KvBlocks;
  /** Running sequences in admission order, [0, nRunning). */
  private running = new Int32Array(64);
  nRunning = 0;
  /** The planned step: sequences and their token counts, [0, nSched). */
  private sched = new Int32Array(64);
  private schedN = new Int32Array(64);
  private nSched = 0;
  private done = new Int32Array(64);
  // Per sequence (by pool index).
  private computed = new Float64Array(64);
  private known = new Float64Array(64);
  private generated = new Float64Array(64);
  private priv = new Float64Array(64);
  /** Tokens the blocks a sequence holds (shared + private) have room for: a multiple of block_size. */
  private room = new Float64Array(64);
  private held = new Int32Array(64);
  /** 1 until its first admission (the one that counts for cache statistics). */
  private fresh = new Uint8Array(64);
  /** Preemptions so far; prefix-cache lookups and hits, at each sequence's first admission. */
  preemptions = 0;
  lookups = 0;
  hits = 0;
  cachedTokens = 0;
  promptTokens = 0;

  constructor(config: SchedulerConfig, pool: AttemptPool, waiting: IntRing, kv: KvBlocks) {
    this.maxNumSeqs = config.maxNumSeqs;
    this.budget = config.maxBatchedTokens;
    this.bs = config.blockSize;
    this.caching = config.prefixCaching;
    this.pool = pool;
    this.waiting = waiting;
    this.kv = kv;
  }

  /** Take accepted attempt `idx` into the waiting queue. */
  add(idx: number): void {
    if (idx >= this.computed.length) this.grow(idx + 1);
    this.computed[idx] = 0;
    this.known[idx] = this.pool.prompt[idx];
    this.generated[idx] = 0;
    this.priv[idx] = 0;
    this.room[idx] = 0;
    this.held[idx] = 0;
    this.fresh[idx] = 1;
    this.waiting.push(idx);
  }

  /** Tokens of prefix unit block of sequence idx (its block_tokens, else the engine's block size). */
  private unitTokens(idx: number): number {
    const b = this.pool.blockTokens[idx];
    return b > 0 ? b : this.bs;
  }

  /** Engine blocks shared through the first `h` prefix units of sequence idx. */
  private sharedBlocks(idx: number, h: number): number {
    return Math.floor((h * this.unitTokens(idx)) / this.bs);
  }

  /** Plans the next step into `batch`; returns the sequences scheduled (0: nothing to do). */
  schedule(batch: StepBatch, host: SchedulerHost): number {
    batch.tokens = 0;
    batch.seqs = 0;
    batch.logits = 0;
    batch.pairs = 0;
    batch.kvTokens = 0;
    this.nSched = 0;
    let budget = this.budget;
    let preempted = false;
    for (let i = 0; i < this.nRunning && budget > 0; i++) {
      const run = this.running;
      const s = run[i];
      const n = Math.min(this.known[s] - this.computed[s], budget);
      let ok = this.allocate(s, n);
      while (!ok) {
        const victim = run[--this.nRunning];
        this.preempt(victim);
        preempted = true;
        if (victim === s) break;
        ok = this.allocate(s, n);
      }
      if (!ok) break;
      this.plan(s, n, batch);
      budget -= n;
    }
    if (!preempted) {
      const w = this.waiting;
      while (w.size > 0 && budget > 0 && this.nRunning < this.maxNumSeqs) {
        const s = w.peek();
        this.lookup(s);
        const n = Math.min(this.known[s] - this.computed[s], budget);
        if (!this.allocate(s, n)) {
          this.unhold(s);
          this.computed[s] = 0;
          break;
        }
        w.shift();
        if (this.fresh[s] === 1) {
          this.fresh[s] = 0;
          const cached = this.computed[s];
          this.lookups++;
          if (cached > 0) this.hits++;
          this.cachedTokens += cached;
          this.promptTokens += this.pool.prompt[s];
          this.pool.cached[s] = cached;
          host.admitted(s);
        }
        if (this.nRunning === this.running.length) this.running = grown(this.running, this.nRunning * 2);
        this.running[this.nRunning++] = s;
        this.plan(s, n, batch);
        budget -= n;
      }
    }
    return this.nSched;
  }

  /** Adds sequence s with n new tokens to the planned step. */
  private plan(s: number, n: number, b: StepBatch): void {
    if (this.nSched === this.sched.length) {
      this.sched = grown(this.sched, this.sched.length * 2);
      this.schedN = grown(this.schedN, this.schedN.length * 2);
    }
    this.sched[this.nSched] = s;
    this.schedN[this.nSched++] = n;
    const p = this.computed[s];
    b.tokens += n;
    b.seqs++;
    b.pairs += n * p + (n * (n + 1)) / 2;
    b.kvTokens += p + n;
    if (p + n === this.known[s]) b.logits++;
  }

  /** Cached leading prefix units of waiting sequence s: held, and counted as computed. */
  private lookup(s: number): void {
    const p = this.pool;
    const nb = p.nBlocks[s];
    if (!this.caching || nb === 0) return;
    const ids = p.blocks[s];
    let h = this.kv.match(ids, nb);
    const bs = this.bs;
    const maxTokens = p.prompt[s] - 1;
    while (h > 0 && this.sharedBlocks(s, h) * bs > maxTokens) h--;
    for (let u = 0; u < h; u++) this.kv.acquire(ids[u]);
    this.held[s] = h;
    this.computed[s] = this.sharedBlocks(s, h) * bs;
    this.room[s] = this.computed[s];
  }

  /** Blocks for sequence s to hold computed + n tokens; false (nothing taken) when they do not fit. */
  private allocate(s: number, n: number): boolean {
    const over = this.computed[s] + n - this.room[s];
    if (over <= 0) return true;
    const need = Math.ceil(over / this.bs);
    if (!this.kv.allocate(need)) return false;
    this.priv[s] += need;
    this.room[s] += need * this.bs;
    return true;
  }

  /** Release everything sequence s holds. */
  private unhold(s: number): void {
    const ids = this.pool.blocks[s];
    for (let u = this.held[s] - 1; u >= 0; u--) this.kv.release(ids[u]);
    this.held[s] = 0;
    this.kv.freeBlocks(this.priv[s]);
    this.priv[s] = 0;
    this.room[s] = 0;
  }

  private preempt(s: number): void {
    this.unhold(s);
    this.computed[s] = 0;
    this.preemptions++;
    this.waiting.unshift(s);
  }

  /** Applies the planned step; reports first tokens and finished sequences to `host`. */
  complete(host: SchedulerHost): void {
    const p = this.pool;
    let nDone = 0;
    for (let k = 0; k < this.nSched; k++) {
      const s = this.sched[k];
      const before = this.computed[s];
      const c = before + this.schedN[k];
      this.computed[s] = c;
      // Prefix units cover prompt tokens only: a chunk of the prompt may complete some.
      if (before < p.prompt[s] && this.caching && this.held[s] < p.nBlocks[s]) this.publish(s, c);
      if (c === this.known[s]) {
        this.known[s]++;
        const g = ++this.generated[s];
        if (g === 1) host.firstToken(s);
        if (g >= p.output[s] || p.fail[s] === 1) {
          if (nDone === this.done.length) this.done = grown(this.done, nDone * 2);
          this.done[nDone++] = s;
          this.unhold(s);
          this.known[s] = -1; // marks "leaving" for the compaction below
        }
      }
    }
    if (nDone > 0) {
      const run = this.running;
      let j = 0;
      for (let i = 0; i < this.nRunning; i++) if (this.known[run[i]] !== -1) run[j++] = run[i];
      this.nRunning = j;
      // Reported last: the host may reuse a pool index (a retry submitted from its callback).
      for (let k = 0; k < nDone; k++) host.finished(this.done[k], p.fail[this.done[k]] === 0);
    }
    this.nSched = 0;
  }

  /** Cache the prefix units sequence s has now computed in full (up to c tokens of its prompt). */
  private publish(s: number, c: number): void {
    const p = this.pool;
    const upto = Math.min(c, p.prompt[s]);
    const B = this.unitTokens(s);
    const ids = p.blocks[s];
    let h = this.held[s];
    while (h < p.nBlocks[s] && (h + 1) * B <= upto) {
      const blocks = this.sharedBlocks(s, h + 1) - this.sharedBlocks(s, h);
      this.kv.publish(ids[h], blocks);
      this.priv[s] -= blocks;
      h++;
    }
    this.held[s] = h;
  }

  /**
   * Take sequence idx out now (a cancel): out of the waiting queue, or out of the running set and the
   * planned step, its blocks freed. False when the scheduler does not hold it.
   */
  remove(idx: number): boolean {
    if (this.waiting.remove(idx)) {
      this.unhold(idx);
      return true;
    }
    const run = this.running;
    let i = 0;
    while (i < this.nRunning && run[i] !== idx) i++;
    if (i === this.nRunning) return false;
    for (; i < this.nRunning - 1; i++) run[i] = run[i + 1];
    this.nRunning--;
    let k = 0;
    while (k < this.nSched && this.sched[k] !== idx) k++;
    if (k < this.nSched) {
      for (; k < this.nSched - 1; k++) {
        this.sched[k] = this.sched[k + 1];
        this.schedN[k] = this.schedN[k + 1];
      }
      this.nSched--;
    }
    this.unhold(idx);
    return true;
  }

  /** Forget every sequence and empty the KV cache (a crash). */
  reset(): void {
    this.waiting.clear();
    this.nRunning = 0;
    this.nSched = 0;
    this.kv.reset();
  }

  /** Running sequences' KV usage, 0..1. */
  kvUsage(): number {
    return this.kv.used / this.kv.total;
  }

  private grow(min: number): void {
    let cap = this.computed.length;
    while (cap < min) cap *= 2;
    this.computed = grown(this.computed, cap);
    this.known = grown(this.known, cap);
    this.generated = grown(this.generated, cap);
    this.priv = grown(this.priv, cap);
    this.room = grown(this.room, cap);
    this.held = grown(this.held, cap);
    this.fresh = grown(this.fresh, cap);
  }
}
