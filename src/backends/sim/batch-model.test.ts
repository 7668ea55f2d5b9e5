import { describe, expect, it } from 'vitest';
import type { LatencyModel } from '../../core/types.js';
import type { BatchModel } from './batch-model.js';
import { at, attempt, modelSpec, setup } from './testkit.js';

const batching: LatencyModel = {
  model: 'batching',
  prefill_per_token_ms: 0.1,
  decode_step_ms: 10,
  slowdown: 0.5,
  max_batch: 4,
};

describe('BatchModel', () => {
  it('steps: prefill over joiners, decode slowed by the batch (exact arithmetic)', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 8, latency: batching })]);
    const b = cluster.backend(0);
    b.submit(attempt(1, 100, 3)); // prefill step alone: [0, 10]
    b.submit(attempt(2, 200, 2)); // joins at 10: prefill [10, 30]
    engine.run();
    // decode with 2 running: 10 × (1 + 0.5) = 15 → t = 45, #2 has its 2 tokens; then #1 alone: 10 → 55.
    expect(host.byId(2)).toMatchObject({
      kind: 'ok',
      queue_ms: 10,
      ttft_ms: 30,
      e2e_ms: 45,
      output_tokens: 2,
    });
    expect(host.byId(1)).toMatchObject({
      kind: 'ok',
      queue_ms: 0,
      ttft_ms: 10,
      e2e_ms: 55,
      output_tokens: 3,
    });
    expect((cluster.model(0) as BatchModel).stepCount).toBe(4);
    // Busy: #1 in [0, 55], #2 in [10, 45] over min(8, 4) = 4 slots × 55 ms.
    expect(cluster.busySlotTime(0)).toBeCloseTo(55 + 35, 9);
    expect(cluster.slotTime(0)).toBeCloseTo(4 * 55, 9);
  });

  it('many sequences decode together; a joiner stalls the batch for its prefill', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 8, latency: batching })]);
    const b = cluster.backend(0);
    b.submit(attempt(1, 50, 4)); // prefill [0, 5]
    at(engine, 1, () => {
      b.submit(attempt(2, 50, 1));
      b.submit(attempt(3, 100, 3));
    });
    engine.run();
    // 5: #2 and #3 join, prefill 150 tokens → 20. #2 (1 token) done at 20.
    expect(host.byId(2)).toMatchObject({ ttft_ms: 19, e2e_ms: 19, queue_ms: 4 });
    // Decode with #1 and #3: 15 ms steps → 35 (#1: 1 of 3 decode tokens, #3: 1 of 2), 50 (#3 done), then
    // #1 alone: 60.
    expect(host.byId(3)).toMatchObject({ ttft_ms: 19, e2e_ms: 49 });
    expect(host.byId(1)).toMatchObject({ ttft_ms: 5, e2e_ms: 60 });
  });

  it('max_batch caps the batch; max_queue counts only waiting work the next step cannot admit', () => {
    const { engine, host, cluster } = setup([
      modelSpec({ max_concurrency: 8, max_queue: 1, latency: { ...batching, max_batch: 2 } as LatencyModel }),
    ]);
    const b = cluster.backend(0);
    expect([1, 2, 3, 4].map((i) => b.submit(attempt(i, 10, 2)))).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'queue_full',
    ]);
    expect(cluster.inService(0)).toBe(1);
    expect(cluster.queued(0)).toBe(2);
    expect(cluster.load(0)).toBe(1.5);
    engine.run();
    // #1 prefill [0,1]; #2 joins prefill [1,2]; decode 2 seqs 15 → 17 both done; #3 prefill [17,18], decode 10 → 28.
    expect(host.done.map((d) => [d.id, d.at])).toEqual([
      [2, 17],
      [1, 17],
      [3, 28],
    ]);
  });

  it('profile: prefill = base + per_token × tokens; step = base + per_seq × running', () => {
    const { engine, host, cluster } = setup([
      modelSpec({
        max_concurrency: 4,
        latency: {
          model: 'profile',
          profile_path: 'p.json',
          prefill_base_ms: 5,
          prefill_ms_per_token: 0.5,
          decode_base_ms: 8,
          decode_per_seq_ms: 2,
        },
      }),
    ]);
    cluster.backend(0).submit(attempt(1, 20, 3));
    engine.run();
    // prefill 5 + 10 = 15; two decode steps of 8 + 2 = 10.
    expect(host.byId(1)).toMatchObject({ ttft_ms: 15, e2e_ms: 35 });
  });

  it('prefix cache: prefill only over uncached tokens, blocks inserted at prefill end', () => {
    const { engine, host, cluster } = setup([
      modelSpec({
        max_concurrency: 4,
        latency: batching,
        cache: { kind: 'prefix', capacity_tokens: 1600, block_tokens: 16 },
      }),
    ]);
    const b = cluster.backend(0);
    const blocks = [1, 2, 3, 4, 5];
    b.submit(attempt(1, 100, 2, { prefix_blocks: blocks })); // prefill 10 → [0,10], decode → 20
    blocks.fill(99); // the driver may reuse its array once submit() returns
    at(engine, 30, () => b.submit(attempt(2, 100, 2, { prefix_blocks: [1, 2, 3, 4, 5] })));
    engine.run();
    expect(host.byId(2).cached_tokens).toBe(80);
    // 20 uncached tokens → 2 ms prefill, then one 10 ms step.
    expect(host.byId(2)).toMatchObject({ ttft_ms: 2, e2e_ms: 12 });
    expect(cluster.getCacheHitRate(0)).toBeCloseTo(0.02, 12);
  });

  it('failures end at prefill; degraded and latency factor scale steps', () => {
    const { engine, host, cluster } = setup([
      modelSpec({ max_concurrency: 4, latency: batching, failure_rate: 1 }),
    ]);
    const b = cluster.backend(0);
    b.submit(attempt(1, 100, 5));
    engine.run();
    expect(host.byId(1)).toMatchObject({ kind: 'error', e2e_ms: 10, output_tokens: 0 });
    cluster.setFailureRate(0, 0);
    cluster.setHealth(0, 'degraded');
    cluster.setLatencyFactor(0, 1.5);
    b.submit(attempt(2, 100, 2));
    engine.run();
    // (10 prefill + 10 decode) × 2 × 1.5.
    expect(host.byId(2).e2e_ms).toBeCloseTo(60, 9);
  });
});

describe('BatchModel capacity', () => {
  it('scaling out lets waiting sequences join at the next step; slot-time follows the capacity', () => {
    const { engine, host, cluster } = setup([
      modelSpec({ max_concurrency: 1, latency: { ...batching, slowdown: 0 } as LatencyModel }),
    ]);
    const b = cluster.backend(0);
    b.submit(attempt(1, 100, 3)); // prefill [0, 10], decode 10 → 20, 30
    b.submit(attempt(2, 100, 2)); // waits: one slot
    at(engine, 5, () => cluster.setCapacity(0, 2)); // joins at the step boundary 10: prefill [10, 20]
    engine.run();
    expect(host.byId(2)).toMatchObject({ queue_ms: 10, ttft_ms: 20, e2e_ms: 30 });
    // #1: prefill [0,10], stalled by #2's prefill [10,20], decode [20,30] and [30,40].
    expect(host.byId(1)).toMatchObject({ ttft_ms: 10, e2e_ms: 40 });
    // Slots: 1 over [0,5], 2 over [5,40].
    expect(cluster.slotTime(0)).toBe(5 + 2 * 35);
    expect(cluster.busySlotTime(0)).toBe(40 + 20);
  });
});
