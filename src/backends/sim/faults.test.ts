import { describe, expect, it } from 'vitest';
import type { LatencyModel } from '../../core/types.js';
import { at, attempt, modelSpec, setup } from './testkit.js';

const batching: LatencyModel = {
  model: 'batching',
  max_batch: 4,
  prefill_per_token_ms: 0.1,
  decode_step_ms: 10,
  slowdown: 0,
};

describe('SimModel: cancel', () => {
  it('a cancelled running attempt frees its slot at once and is never reported', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 1 })]);
    const b = cluster.backend(0);
    b.submit(attempt(1));
    b.submit(attempt(2));
    b.submit(attempt(3));
    at(engine, 4, () => {
      expect(b.cancel(1)).toBe(true);
      expect(b.cancel(1)).toBe(false);
      expect(b.cancel(3)).toBe(true); // queued: leaves the queue
      expect([b.inService(), b.queued()]).toEqual([1, 0]);
    });
    engine.run();
    // #2 starts at 4 when #1's slot is freed, ends at 14; #1 and #3 report nothing.
    expect(host.done.map((d) => [d.id, d.at, d.queue_ms])).toEqual([[2, 14, 4]]);
    expect(b.cancel(2)).toBe(false);
    expect(cluster.busySlotTime(0)).toBe(14);
  });

  it('batching: a cancelled sequence leaves the batch, the others finish as before', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 4, latency: batching })]);
    const b = cluster.backend(0);
    for (const id of [1, 2, 3]) b.submit(attempt(id, 100, 3));
    // prefill 300 tokens: [0, 30]; decode steps end at 40 and 50 (output 3 = prefill token + 2 steps).
    at(engine, 35, () => expect(b.cancel(2)).toBe(true));
    engine.run();
    expect(host.done.map((d) => [d.id, d.at])).toEqual([
      [3, 50],
      [1, 50],
    ]);
    expect(b.inService()).toBe(0);
  });
});

describe('SimModel: crash and restart', () => {
  it('fails every held attempt at the crash instant, refuses until restart, then warms up', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 2 })]);
    const b = cluster.backend(0);
    for (const id of [1, 2, 3, 4]) b.submit(attempt(id));
    const f = b.faults!;
    at(engine, 5, () => {
      f.crash();
      expect(f.isDown()).toBe(true);
      expect(b.submit(attempt(9))).toBe('unavailable');
      expect(cluster.probe(0)).toBe(false);
      expect(cluster.inFlight(0)).toBe(0);
    });
    at(engine, 100, () => {
      f.restart(50, 3);
      expect(b.submit(attempt(5))).toBe('accepted'); // warming up: 30 ms
    });
    at(engine, 200, () => b.submit(attempt(6))); // warm: 10 ms
    engine.run();
    expect(host.done.map((d) => [d.id, d.at, d.kind, d.detail ?? '', d.queue_ms])).toEqual([
      [1, 5, 'error', 'crash', 0],
      [2, 5, 'error', 'crash', 0],
      [3, 5, 'error', 'crash', 5],
      [4, 5, 'error', 'crash', 5],
      [5, 130, 'ok', '', 0],
      [6, 210, 'ok', '', 0],
    ]);
    expect(cluster.stats(0).failed).toBe(4);
  });

  it('comes back with an empty prefix cache and an observed hit rate of zero', () => {
    const { engine, host, cluster } = setup([
      modelSpec({ cache: { kind: 'prefix', capacity_tokens: 1600, block_tokens: 16 } }),
    ]);
    const b = cluster.backend(0);
    const blocks = [1, 2, 3];
    b.submit(attempt(1, 48, 1, { prefix_blocks: blocks }));
    at(engine, 20, () => b.submit(attempt(2, 48, 1, { prefix_blocks: blocks })));
    at(engine, 40, () => {
      expect(cluster.getCacheHitRate(0)).toBeGreaterThan(0);
      b.faults!.crash();
      b.faults!.restart(0, 1);
      expect(cluster.getCacheHitRate(0)).toBe(0);
      expect(cluster.prefixMatch(0, { estimated_tokens: 0, prefix_blocks: blocks })).toBe(0);
      b.submit(attempt(3, 48, 1, { prefix_blocks: blocks }));
    });
    engine.run();
    expect(host.done.map((d) => [d.id, d.cached_tokens])).toEqual([
      [1, 0],
      [2, 48],
      [3, 0],
    ]);
  });

  it('batching: the step in progress is dropped and the model serves again after restart', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 4, latency: batching })]);
    const b = cluster.backend(0);
    for (const id of [1, 2]) b.submit(attempt(id, 100, 3));
    at(engine, 25, () => b.faults!.crash());
    at(engine, 60, () => {
      b.faults!.restart(0, 1);
      b.submit(attempt(3, 100, 3)); // prefill 10, 2 decode steps: 90
    });
    engine.run();
    expect(host.done.map((d) => [d.id, d.at, d.kind])).toEqual([
      [1, 25, 'error'],
      [2, 25, 'error'],
      [3, 90, 'ok'],
    ]);
  });
});

describe('SimModel: hang', () => {
  it('running attempts stall and resume later by the hang; queued ones start after it', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 1 })]);
    const b = cluster.backend(0);
    b.submit(attempt(1));
    at(engine, 4, () => b.faults!.stall(true));
    at(engine, 6, () => {
      expect(b.submit(attempt(2))).toBe('accepted');
      expect(cluster.probe(0)).toBe(false);
    });
    at(engine, 50, () => b.faults!.stall(false));
    engine.run();
    // #1: 6 ms left at the stall, ends at 56; #2 starts then, ends at 66.
    expect(host.done.map((d) => [d.id, d.at])).toEqual([
      [1, 56],
      [2, 66],
    ]);
  });

  it('batching: the step in progress finishes its remaining time after the hang', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 4, latency: batching })]);
    const b = cluster.backend(0);
    b.submit(attempt(1, 100, 2)); // prefill [0, 10], decode [10, 20]
    at(engine, 15, () => b.faults!.stall(true));
    at(engine, 16, () => b.submit(attempt(2, 100, 2)));
    at(engine, 115, () => b.faults!.stall(false));
    engine.run();
    // #1: 5 ms left → 120; #2 joins then: prefill to 130, decode to 140.
    expect(host.done.map((d) => [d.id, d.at])).toEqual([
      [1, 120],
      [2, 140],
    ]);
  });

  it('a hung model can still be cancelled and crashed', () => {
    const { engine, host, cluster } = setup([modelSpec({ max_concurrency: 1 })]);
    const b = cluster.backend(0);
    b.submit(attempt(1));
    b.submit(attempt(2));
    at(engine, 4, () => b.faults!.stall(true));
    at(engine, 8, () => expect(b.cancel(1)).toBe(true));
    at(engine, 9, () => expect([b.inService(), b.queued()]).toEqual([0, 1])); // nothing starts while hung
    at(engine, 20, () => b.faults!.crash());
    engine.run();
    expect(host.done.map((d) => [d.id, d.at, d.detail])).toEqual([[2, 20, 'crash']]);
  });
});

describe('SimModel: every accepted attempt ends exactly once', () => {
  // A seeded storm of submits, cancels, crashes, restarts and stalls: each accepted attempt is either
  // cancelled (cancel() true) or reported exactly once, and the model ends empty.
  for (const [name, latency] of [
    ['service', { model: 'service', service: { dist: 'exponential', mean: 30 } }],
    ['batching', batching],
  ] as const) {
    it(name, () => {
      const { engine, host, cluster } = setup([
        modelSpec({ max_concurrency: 4, max_queue: 6, latency: latency as LatencyModel }),
      ]);
      const b = cluster.backend(0);
      const f = b.faults!;
      let seed = 12345;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const accepted = new Set<number>();
      const cancelled = new Set<number>();
      let next = 0;
      for (let t = 0; t < 3000; t += 5) {
        at(engine, t, () => {
          const u = rnd();
          if (u < 0.5) {
            const id = next++;
            if (b.submit(attempt(id, 50, 1 + Math.floor(rnd() * 5))) === 'accepted') accepted.add(id);
          } else if (u < 0.7 && next > 0) {
            const id = Math.max(0, next - 1 - Math.floor(rnd() * 8));
            if (b.cancel(id)) cancelled.add(id);
          } else if (u < 0.73) f.crash();
          else if (u < 0.78) f.restart(20, 2);
          else if (u < 0.82) f.stall(rnd() < 0.5);
        });
      }
      at(engine, 3001, () => {
        f.stall(false);
        f.restart(0, 1);
      });
      engine.run();
      const reported = host.done.map((d) => d.id);
      expect(new Set(reported).size).toBe(reported.length);
      for (const id of reported) expect(cancelled.has(id)).toBe(false);
      expect(reported.length + cancelled.size).toBe(accepted.size);
      expect([b.inService(), b.queued(), cluster.inFlight(0)]).toEqual([0, 0, 0]);
      expect(host.done.some((d) => d.detail === 'crash')).toBe(true);
      expect(cancelled.size).toBeGreaterThan(10);
    });
  }
});
