import { describe, expect, it } from 'vitest';
import { AttemptPool } from '../pool.js';
import { IntRing } from '../ring.js';
import { KvBlocks } from './kv-blocks.js';
import { emptyBatch } from './physics.js';
import { type SchedulerHost, VllmScheduler } from './scheduler.js';

/**
 * One random workload driven step by step through a scheduler, recording everything it tells its host
 * and plans: arrivals, cancels (between steps and during one), crashes and capacity changes, on a KV
 * cache small enough to preempt and evict, a budget small enough to chunk prefills and run out.
 */
function trace(seed: number, lockstep: boolean): string[] {
  let x = seed;
  const rand = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const bs = [4, 8, 16][seed % 3];
  const pool = new AttemptPool(8);
  const waiting = new IntRing();
  const kv = new KvBlocks(int(12, 80));
  const budget = int(8, 96);
  const s = new VllmScheduler(
    {
      maxNumSeqs: int(2, 24),
      maxBatchedTokens: budget,
      blockSize: bs,
      prefixCaching: seed % 4 !== 0,
      lockstep,
    },
    pool,
    waiting,
    kv,
  );
  const log: string[] = [];
  const live = new Set<number>();
  let step = 0;
  const host: SchedulerHost = {
    admitted: (i) => log.push(`${step} admit ${i}`),
    firstToken: (i) => log.push(`${step} first ${i}`),
    finished: (i, ok) => {
      log.push(`${step} done ${i} ${ok}`);
      live.delete(i);
      pool.release(i);
      // A retry submitted from the callback: it may take the index just given back.
      if (rand() < 0.2) arrive();
    },
  };
  const cancelOne = (): void => {
    if (live.size === 0) return;
    const ids = [...live].sort((a, b) => a - b);
    const i = ids[int(0, ids.length - 1)];
    log.push(`${step} cancel ${i} ${s.remove(i)}`);
    live.delete(i);
    pool.release(i);
  };
  function arrive(): void {
    const i = pool.alloc();
    const prompt = int(1, 60);
    pool.prompt[i] = prompt;
    pool.output[i] = int(1, 50);
    pool.fail[i] = rand() < 0.05 ? 1 : 0;
    const unit = [0, 4, 8][int(0, 2)];
    const units = Math.floor(prompt / (unit || bs));
    const shared = int(0, 2);
    pool.setBlocks(
      i,
      Array.from({ length: units }, (_, u) => (u < 2 ? shared * 1000 + u : 10_000 * (step + 1) + u)),
    );
    pool.blockTokens[i] = unit;
    live.add(i);
    s.add(i);
  }
  const batch = emptyBatch();
  for (step = 0; step < 400; step++) {
    const arrivals = rand() < 0.3 ? int(1, 3) : 0;
    for (let a = 0; a < arrivals; a++) arrive();
    if (rand() < 0.03) cancelOne();
    if (rand() < 0.01) s.maxNumSeqs = int(1, 24);
    if (rand() < 0.005) {
      s.reset();
      log.push(`${step} crash`);
      for (const i of live) pool.release(i);
      live.clear();
    }
    const n = s.schedule(batch, host);
    const plan = s as unknown as { sched: Int32Array; schedN: Int32Array; nSched: number };
    const planned: string[] = [];
    for (let k = 0; k < plan.nSched; k++) planned.push(`${plan.sched[k]}:${plan.schedN[k]}`);
    log.push(`${step} plan ${n} ${planned.join(' ')} ${JSON.stringify(batch)} free ${kv.free}`);
    if (rand() < 0.03) cancelOne();
    if (n > 0) s.complete(host);
    log.push(
      `${step} after run ${s.nRunning} wait ${waiting.size} free ${kv.free} peak ${kv.peakUsed} ` +
        `ev ${kv.evictions} units ${kv.cachedUnits} pre ${s.preemptions} hits ${s.hits}/${s.lookups}`,
    );
  }
  return log;
}

describe('DecodeLockstep', () => {
  it('plans, allocates and reports exactly what the per-sequence loops do, on 120 random workloads', () => {
    // Each workload: arrivals (some submitted from a completion callback), cancels between and during
    // steps, crashes and capacity changes.
    let lockSteps = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const reference = trace(seed, false);
      const fast = trace(seed, true);
      expect(fast).toEqual(reference);
      lockSteps += reference.filter((l) => l.includes(' done ')).length;
    }
    // The workloads do finish sequences (the comparison is not over empty runs).
    expect(lockSteps).toBeGreaterThan(1000);
  });
});
