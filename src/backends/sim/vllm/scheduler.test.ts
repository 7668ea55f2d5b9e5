import { describe, expect, it } from 'vitest';
import { AttemptPool } from '../pool.js';
import { IntRing } from '../ring.js';
import { KvBlocks } from './kv-blocks.js';
import { emptyBatch, type StepBatch } from './physics.js';
import { type SchedulerConfig, type SchedulerHost, VllmScheduler } from './scheduler.js';

/** A scheduler over its own pool, stepped by hand; records what each step did. */
class Harness implements SchedulerHost {
  readonly pool = new AttemptPool();
  readonly waiting = new IntRing();
  readonly kv: KvBlocks;
  readonly s: VllmScheduler;
  readonly batch: StepBatch = emptyBatch();
  step = 0;
  readonly first = new Map<number, number>();
  readonly done = new Map<number, { step: number; ok: boolean }>();
  readonly admittedAt = new Map<number, number>();
  private readonly names = new Map<number, string>();

  constructor(config: Partial<SchedulerConfig> & { blocks: number }) {
    this.kv = new KvBlocks(config.blocks);
    this.s = new VllmScheduler(
      { maxNumSeqs: 128, maxBatchedTokens: 2048, blockSize: 16, prefixCaching: true, ...config },
      this.pool,
      this.waiting,
      this.kv,
    );
  }

  add(name: string, prompt: number, output: number, prefix: number[] = [], blockTokens = 0): number {
    const i = this.pool.alloc();
    this.pool.prompt[i] = prompt;
    this.pool.output[i] = output;
    this.pool.fail[i] = 0;
    this.pool.setBlocks(i, prefix);
    this.pool.blockTokens[i] = blockTokens;
    this.names.set(i, name);
    this.s.add(i);
    return i;
  }

  /** Plans and completes one step; returns "name:tokens" per scheduled sequence and the batch. */
  run(): { plan: string; batch: StepBatch } {
    this.step++;
    const n = this.s.schedule(this.batch, this);
    const plan = this.plan();
    const batch = { ...this.batch };
    if (n > 0) this.s.complete(this);
    return { plan, batch };
  }

  private plan(): string {
    const sched = this.s as unknown as { sched: Int32Array; schedN: Int32Array; nSched: number };
    const out: string[] = [];
    for (let k = 0; k < sched.nSched; k++) out.push(`${this.names.get(sched.sched[k])}:${sched.schedN[k]}`);
    return out.join(' ');
  }

  admitted(idx: number): void {
    this.admittedAt.set(idx, this.step);
  }
  firstToken(idx: number): void {
    this.first.set(idx, this.step);
  }
  finished(idx: number, ok: boolean): void {
    this.done.set(idx, { step: this.step, ok });
  }
}

describe('VllmScheduler', () => {
  it('fills the token budget: running first, then FCFS prefill chunks', () => {
    const h = new Harness({ blocks: 100, maxBatchedTokens: 8, blockSize: 4 });
    const a = h.add('A', 10, 3);
    const b = h.add('B', 6, 2);
    // Step 1: A's first chunk takes the whole budget; B waits.
    expect(h.run().plan).toBe('A:8');
    // Step 2: A's last 2 prompt tokens, then B's whole prompt (6) in the remaining budget of 6.
    const s2 = h.run();
    expect(s2.plan).toBe('A:2 B:6');
    // pairs: A 2 tokens after 8 -> 2·8 + 2·3/2 = 19; B 6 from 0 -> 21. KV: A 8 + 2, B 0 + 6.
    expect(s2.batch).toEqual({ tokens: 8, seqs: 2, logits: 2, pairs: 40, kvTokens: 16 });
    expect(h.first.get(a)).toBe(2);
    expect(h.first.get(b)).toBe(2);
    // Step 3: one decode token each; B has its 2 tokens. Step 4: A alone gets its 3rd.
    expect(h.run().plan).toBe('A:1 B:1');
    expect(h.done.get(b)).toEqual({ step: 3, ok: true });
    expect(h.run().plan).toBe('A:1');
    expect(h.done.get(a)).toEqual({ step: 4, ok: true });
    expect(h.run().plan).toBe('');
    // Everything freed.
    expect(h.kv.used).toBe(0);
  });

  it('admits at most max_num_seqs', () => {
    const h = new Harness({ blocks: 100, maxNumSeqs: 1, blockSize: 4 });
    const a = h.add('A', 4, 2);
    const b = h.add('B', 4, 1);
    expect(h.run().plan).toBe('A:4');
    expect(h.run().plan).toBe('A:1');
    expect(h.done.get(a)?.step).toBe(2);
    expect(h.run().plan).toBe('B:4');
    expect(h.done.get(b)?.step).toBe(3);
  });

  it('preempts the newest running sequence when blocks run out, and recomputes it later', () => {
    // 4 blocks of 4 tokens. A and B take 2 blocks each for their 8-token prompts.
    const h = new Harness({ blocks: 4, blockSize: 4 });
    const a = h.add('A', 8, 8);
    const b = h.add('B', 8, 8);
    expect(h.run().plan).toBe('A:8 B:8');
    expect(h.kv.free).toBe(0);
    // Step 2: A's 9th token needs a 3rd block: B (newest) is preempted, nothing new is admitted.
    expect(h.run().plan).toBe('A:1');
    expect(h.s.preemptions).toBe(1);
    expect(h.waiting.size).toBe(1);
    // Steps 3..8: A decodes alone (its 13th token takes the last block); B (8 prompt + 1 generated = 9
    // tokens, 3 blocks) does not fit in the 1 free block until A finishes at step 8.
    for (let step = 3; step <= 8; step++) expect(h.run().plan).toBe('A:1');
    expect(h.done.get(a)).toEqual({ step: 8, ok: true });
    // Step 9: B recomputes prompt + its first token (9) and samples its 2nd; first token stays step 1.
    const s9 = h.run();
    expect(s9.plan).toBe('B:9');
    expect(s9.batch.logits).toBe(1);
    expect(h.first.get(b)).toBe(1);
    for (let step = 10; step <= 15; step++) expect(h.run().plan).toBe('B:1');
    expect(h.done.get(b)).toEqual({ step: 15, ok: true });
    expect(h.s.preemptions).toBe(1);
    expect(h.kv.used).toBe(0);
  });

  it('serves cached prefix units from the cache, at most prompt − 1 tokens in whole blocks', () => {
    // Units of 8 tokens = 2 blocks of 4.
    const h = new Harness({ blocks: 100, blockSize: 4 });
    const a = h.add('A', 20, 1, [1, 2], 8);
    expect(h.run().plan).toBe('A:20');
    expect(h.done.get(a)?.ok).toBe(true);
    expect(h.kv.cachedUnits).toBe(2);
    expect(h.kv.used).toBe(0); // A finished: its units are free cached blocks
    // B shares units 1, 2 (16 tokens) and has a third, uncached: 16 tokens computed, 4 to go.
    const b = h.add('B', 20, 1, [1, 2, 3], 8);
    const s = h.run();
    expect(s.plan).toBe('B:4');
    expect(h.pool.cached[b]).toBe(16);
    // pairs: 4 tokens after 16 -> 64 + 10; KV: 16 read + 4 written.
    expect(s.batch).toMatchObject({ tokens: 4, pairs: 74, kvTokens: 20 });
    // C's prompt is exactly units 1, 2: at most 15 tokens may come from cache -> only unit 1 (8 tokens).
    const c = h.add('C', 16, 1, [1, 2], 8);
    expect(h.run().plan).toBe('C:8');
    expect(h.pool.cached[c]).toBe(8);
    expect(h.s.lookups).toBe(3);
    expect(h.s.hits).toBe(2);
  });

  it('evicts free cached units least recently released first, a prefix tail before its head', () => {
    // 6 blocks of 4; units of 4 tokens = 1 block.
    const h = new Harness({ blocks: 6, blockSize: 4 });
    h.add('A', 9, 1, [10, 11], 4); // 3 blocks, units 10, 11 cached
    h.run();
    h.add('B', 9, 1, [20, 21], 4);
    h.run();
    expect(h.kv.cachedUnits).toBe(4);
    // Released in the order 11, 10 (A, tail first), then 21, 20 (B). D needs 5 blocks: the 2 empty ones
    // and 3 evicted: 11, 10, 21. B's head unit 20 stays.
    h.add('D', 20, 1);
    h.run();
    expect(h.kv.evictions).toBe(3);
    expect([10, 11, 20, 21].map((u) => h.kv.match([u], 1))).toEqual([0, 0, 1, 0]);
  });
});
