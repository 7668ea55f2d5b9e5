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
 *
 * Speed: while every running sequence decodes and each step takes all of them, they are held in lockstep
 * (decode-lockstep.ts) and such a step costs O(1) plus its finishing sequences, with the same plan, the
 * same KV accounting and the same order of everything reported as the per-sequence loops give.
 */
import { grown } from '../../../engine/grow.js';
import type { AttemptPool } from '../pool.js';
import type { IntRing } from '../ring.js';
import { DecodeLockstep } from './decode-lockstep.js';
import type { KvBlocks } from './kv-blocks.js';
import type { StepBatch } from './physics.js';
import { SeqBlocks } from './seq-blocks.js';
import { SeqState } from './seq-state.js';

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
  /** false: plan every step by the per-sequence loops, never in lockstep (the reference tests compare with). */
  lockstep?: boolean;
}

export class VllmScheduler {
  maxNumSeqs: number;
  private readonly budget: number;
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
  /** sched[i] = running[i] with 1 token for i < schedSynced (a lockstep plan rewrites only the rest). */
  private schedSynced = 0;
  /** Decoding sequences in lockstep; the first nLockPlanned of the planned step are theirs. */
  private readonly lock: DecodeLockstep;
  private readonly lockstep: boolean;
  private nLockPlanned = 0;
  /** Admissions into the running set so far (SeqState.adm). */
  private admissions = 0;
  private done = new Int32Array(64);
  /** Per sequence (by pool index), and what each holds in the KV cache. */
  private readonly q = new SeqState();
  private readonly blocks: SeqBlocks;
  /** Preemptions so far; prefix-cache lookups and hits, at each sequence's first admission. */
  preemptions = 0;
  lookups = 0;
  hits = 0;
  cachedTokens = 0;
  promptTokens = 0;

  constructor(config: SchedulerConfig, pool: AttemptPool, waiting: IntRing, kv: KvBlocks) {
    this.maxNumSeqs = config.maxNumSeqs;
    this.budget = config.maxBatchedTokens;
    this.caching = config.prefixCaching;
    this.pool = pool;
    this.waiting = waiting;
    this.kv = kv;
    this.blocks = new SeqBlocks(pool, kv, this.q, config.blockSize, config.prefixCaching);
    this.lock = new DecodeLockstep(config.blockSize);
    this.lockstep = config.lockstep ?? true;
  }

  /** Take accepted attempt `idx` into the waiting queue. */
  add(idx: number): void {
    this.q.ensure(idx);
    this.q.computed[idx] = 0;
    this.q.known[idx] = this.pool.prompt[idx];
    this.q.generated[idx] = 0;
    this.q.priv[idx] = 0;
    this.q.room[idx] = 0;
    this.q.held[idx] = 0;
    this.q.fresh[idx] = 1;
    this.waiting.push(idx);
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
    const L = this.lock;
    if (L.n > 0) {
      const nr = this.nRunning;
      const k = L.crossing();
      if (L.n === nr && nr <= budget && k <= this.kv.free) {
        // All running decode, all fit, their k new blocks too: what the loop below would plan.
        if (k > 0) this.kv.allocate(k);
        if (nr > this.sched.length) this.growSched(nr);
        const run = this.running;
        for (let i = this.schedSynced; i < nr; i++) {
          this.sched[i] = run[i];
          this.schedN[i] = 1;
        }
        this.schedSynced = this.nSched = this.nLockPlanned = nr;
        L.addStep(batch);
        budget -= nr;
      } else this.unlockAll();
    }
    if (this.nLockPlanned === 0) this.schedSynced = 0;
    for (let i = this.nLockPlanned; i < this.nRunning && budget > 0; i++) {
      const run = this.running;
      const s = run[i];
      const n = Math.min(this.q.known[s] - this.q.computed[s], budget);
      let ok = this.blocks.allocate(s, n);
      while (!ok) {
        const victim = run[--this.nRunning];
        this.preempt(victim);
        preempted = true;
        if (victim === s) break;
        ok = this.blocks.allocate(s, n);
      }
      if (!ok) break;
      this.plan(s, n, batch);
      budget -= n;
    }
    if (!preempted) {
      const w = this.waiting;
      while (w.size > 0 && budget > 0 && this.nRunning < this.maxNumSeqs) {
        const s = w.peek();
        this.blocks.lookup(s);
        const n = Math.min(this.q.known[s] - this.q.computed[s], budget);
        if (!this.blocks.allocate(s, n)) {
          this.blocks.unhold(s);
          this.q.computed[s] = 0;
          break;
        }
        w.shift();
        if (this.q.fresh[s] === 1) {
          this.q.fresh[s] = 0;
          const cached = this.q.computed[s];
          this.lookups++;
          if (cached > 0) this.hits++;
          this.cachedTokens += cached;
          this.promptTokens += this.pool.prompt[s];
          this.pool.cached[s] = cached;
          host.admitted(s);
        }
        if (this.nRunning === this.running.length) this.running = grown(this.running, this.nRunning * 2);
        this.q.adm[s] = this.admissions++;
        this.running[this.nRunning++] = s;
        this.plan(s, n, batch);
        budget -= n;
      }
    }
    return this.nSched;
  }

  /** Adds sequence s with n new tokens to the planned step. */
  private plan(s: number, n: number, b: StepBatch): void {
    if (this.nSched === this.sched.length) this.growSched(this.nSched + 1);
    this.sched[this.nSched] = s;
    this.schedN[this.nSched++] = n;
    const p = this.q.computed[s];
    b.tokens += n;
    b.seqs++;
    b.pairs += n * p + (n * (n + 1)) / 2;
    b.kvTokens += p + n;
    if (p + n === this.q.known[s]) b.logits++;
  }

  private preempt(s: number): void {
    this.blocks.unhold(s);
    this.q.computed[s] = 0;
    this.preemptions++;
    this.waiting.unshift(s);
  }

  /** Applies the planned step; reports first tokens and finished sequences to `host`. */
  complete(host: SchedulerHost): void {
    const p = this.pool;
    let nDone = 0;
    const L = this.lock;
    const nl = this.nLockPlanned;
    if (nl > 0) {
      this.nLockPlanned = 0;
      L.advance();
      // Finished in the planned (admission) order, released in it as the loop below does (the order of
      // the free cached units).
      const adm = this.q.adm;
      for (let f = L.popFinished(); f >= 0; f = L.popFinished()) {
        L.leave(f, this.q);
        this.q.known[f] = -1;
        if (nDone === this.done.length) this.done = grown(this.done, nDone * 2);
        let k = nDone++;
        for (; k > 0 && adm[this.done[k - 1]] > adm[f]; k--) this.done[k] = this.done[k - 1];
        this.done[k] = f;
      }
      for (let k = 0; k < nDone; k++) this.blocks.unhold(this.done[k]);
    }
    const nLockDone = nDone;
    for (let k = nl; k < this.nSched; k++) {
      const s = this.sched[k];
      const before = this.q.computed[s];
      const c = before + this.schedN[k];
      this.q.computed[s] = c;
      // Prefix units cover prompt tokens only: a chunk of the prompt may complete some.
      if (before < p.prompt[s] && this.caching && this.q.held[s] < p.nBlocks[s]) this.blocks.publish(s, c);
      if (c === this.q.known[s]) {
        this.q.known[s]++;
        const g = ++this.q.generated[s];
        if (g === 1) host.firstToken(s);
        if (g >= p.output[s] || p.fail[s] === 1) {
          if (nDone === this.done.length) this.done = grown(this.done, nDone * 2);
          this.done[nDone++] = s;
          this.blocks.unhold(s);
          this.q.known[s] = -1; // marks "leaving" for the compaction below
        } else if (this.lockstep) L.enter(s, c, g, this.q.priv[s], this.q.room[s], p.output[s]);
      }
    }
    if (nDone > 0) {
      const run = this.running;
      let j = nLockDone > 0 ? this.positionOf(this.done[0]) : 0;
      while (j < this.nRunning && this.q.known[run[j]] !== -1) j++;
      // Entries from the first that leaves on move down (one: in the synced plan too, all 1-token).
      if (nDone === 1) {
        run.copyWithin(j, j + 1, this.nRunning);
        this.nRunning--;
        if (j < this.schedSynced) {
          this.sched.copyWithin(j, j + 1, this.schedSynced);
          this.schedSynced--;
        }
      } else {
        if (j < this.schedSynced) this.schedSynced = j;
        for (let i = j; i < this.nRunning; i++) if (this.q.known[run[i]] !== -1) run[j++] = run[i];
        this.nRunning = j;
      }
      // Reported last: the host may reuse a pool index (a retry submitted from its callback).
      for (let k = 0; k < nDone; k++) host.finished(this.done[k], p.fail[this.done[k]] === 0);
    }
    this.nSched = 0;
  }

  /**
   * Take sequence idx out now (a cancel): out of the waiting queue, or out of the running set and the
   * planned step, its blocks freed. False when the scheduler does not hold it.
   */
  remove(idx: number): boolean {
    if (this.waiting.remove(idx)) {
      this.blocks.unhold(idx);
      return true;
    }
    if (this.lock.n > 0) this.unlockAll();
    this.schedSynced = 0;
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
    this.blocks.unhold(idx);
    return true;
  }

  /** Forget every sequence and empty the KV cache (a crash). */
  reset(): void {
    for (let i = 0; i < this.nRunning; i++) this.lock.forget(this.running[i]);
    this.lock.clear();
    this.nLockPlanned = 0;
    this.schedSynced = 0;
    this.waiting.clear();
    this.nRunning = 0;
    this.nSched = 0;
    this.kv.reset();
  }

  /** Position of running sequence s (by bisection: the running set is in admission order). */
  private positionOf(s: number): number {
    const adm = this.q.adm;
    const run = this.running;
    let lo = 0;
    let hi = this.nRunning - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (adm[run[mid]] < adm[s]) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Take every lockstep sequence's state back into the per-sequence arrays; a step planned in lockstep
   * (between schedule and complete) stays planned, with its KV blocks taken.
   */
  private unlockAll(): void {
    const L = this.lock;
    const planned = this.nLockPlanned > 0;
    for (let i = 0; i < this.nRunning; i++) {
      const s = this.running[i];
      if (!L.holds(s)) continue;
      L.unlock(s, planned, this.q);
    }
    L.clear();
    this.nLockPlanned = 0;
  }

  private growSched(min: number): void {
    let cap = this.sched.length;
    while (cap < min) cap *= 2;
    this.sched = grown(this.sched, cap);
    this.schedN = grown(this.schedN, cap);
  }
}
