import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineSpec } from '../../../core/engine-spec.js';
import { defaultModelSpec } from '../../../core/model-spec.js';
import { at, attempt, setup } from '../testkit.js';
import { PHYSICS_DEFAULTS } from './coefficients.js';
import type { VllmModel } from './engine-model.js';
import { emptyBatch, StepPhysics } from './physics.js';
import { llama7bEngine } from './testkit.js';

const engineSpec = llama7bEngine;

const model = (e: EngineSpec) =>
  defaultModelSpec('vllm', { max_queue: 1_000_000, latency: { model: 'engine', engine: e } });

describe('VllmModel', () => {
  it('one request: api overhead, then a prefill step, then one step per further token', () => {
    const e = engineSpec();
    const { engine, host, cluster } = setup([model(e)]);
    cluster.backend(0).submit(attempt(1, 500, 3));
    engine.run();
    // Steps by the physics: 500-token prefill (+1 logit), then two decode steps over contexts 501, 502.
    const p = new StepPhysics(e.arch, e.gpu_spec, 1, e.coefficients);
    const b = emptyBatch();
    Object.assign(b, { tokens: 500, seqs: 1, logits: 1, pairs: (500 * 501) / 2, kvTokens: 500 });
    const prefill = p.stepMs(b);
    Object.assign(b, { tokens: 1, seqs: 1, logits: 1, pairs: 501, kvTokens: 501 });
    const d1 = p.stepMs(b);
    Object.assign(b, { pairs: 502, kvTokens: 502 });
    const d2 = p.stepMs(b);
    const o = host.byId(1);
    expect(o.kind).toBe('ok');
    expect(o.queue_ms).toBeCloseTo(10, 9); // api_overhead_ms
    expect(o.ttft_ms).toBeCloseTo(10 + prefill, 9);
    expect(o.e2e_ms).toBeCloseTo(10 + prefill + d1 + d2, 9);
    expect((cluster.model(0) as VllmModel).engineStats()).toMatchObject({ steps: 3, preemptions: 0 });
  });

  it('tp > 1: the first token comes tp_first_token_ms later (at most at the last), E2E unchanged', () => {
    const coefficients = { ...PHYSICS_DEFAULTS, tp_first_token_ms: 7 };
    const e = engineSpec({ tp: 2, coefficients });
    const one = { ...model(e), id: 'one-token' };
    const tp1 = { ...model(engineSpec({ coefficients })), id: 'tp1' };
    const { engine, host, cluster } = setup([model(e), one, tp1]);
    cluster.backend(0).submit(attempt(1, 500, 20));
    cluster.backend(1).submit(attempt(2, 500, 1)); // one token: its first is its last
    cluster.backend(2).submit(attempt(3, 500, 3)); // tp 1: no delay
    engine.run();
    const p = new StepPhysics(e.arch, e.gpu_spec, 2, e.coefficients);
    const b = emptyBatch();
    Object.assign(b, { tokens: 500, seqs: 1, logits: 1, pairs: (500 * 501) / 2, kvTokens: 500 });
    const prefill = p.stepMs(b);
    // Then 19 decode steps (~4.5 ms each: the first token at +7 ms comes before the last).
    let decode = 0;
    for (let k = 1; k <= 19; k++) {
      Object.assign(b, { tokens: 1, seqs: 1, logits: 1, pairs: 500 + k, kvTokens: 500 + k });
      decode += p.stepMs(b);
    }
    expect(host.byId(1).ttft_ms).toBeCloseTo(10 + prefill + 7, 9);
    expect(host.byId(1).e2e_ms).toBeCloseTo(10 + prefill + decode, 9);
    expect(host.byId(2).ttft_ms).toBeCloseTo(10 + prefill, 9);
    expect(host.byId(2).e2e_ms).toBeCloseTo(10 + prefill, 9);
    const p1 = new StepPhysics(e.arch, e.gpu_spec, 1, e.coefficients);
    Object.assign(b, { tokens: 500, seqs: 1, logits: 1, pairs: (500 * 501) / 2, kvTokens: 500 });
    expect(host.byId(3).ttft_ms).toBeCloseTo(10 + p1.stepMs(b), 9);
  });

  it('rejects a request longer than max_model_len with an error, no token', () => {
    const { engine, host, cluster } = setup([model(engineSpec({ max_model_len: 1000 }))]);
    cluster.backend(0).submit(attempt(1, 900, 101));
    cluster.backend(0).submit(attempt(2, 900, 100));
    engine.run();
    expect(host.byId(1)).toMatchObject({ kind: 'error', output_tokens: 0 });
    expect(host.byId(1).detail).toMatch(/max_model_len \(1000\)/);
    expect(host.byId(1).ttft_ms).toBeNaN();
    expect(host.byId(2).kind).toBe('ok');
  });

  it('load counts seats, KV blocks and the waiting line; prefix figures come from the block cache', () => {
    // 40 blocks of 16 = 640 tokens of KV; 2 seats; steps of ~20 ms (a 20 ms overhead dominates).
    const coefficients = { ...PHYSICS_DEFAULTS, step_overhead_ms: 20 };
    const { engine, cluster } = setup([
      model(engineSpec({ kv_blocks: 40, max_num_seqs: 2, max_model_len: 600, coefficients })),
    ]);
    const b = cluster.backend(0);
    const prefix = { prefix_blocks: [7, 8], block_tokens: 64 };
    b.submit(attempt(1, 300, 50, prefix)); // 19 blocks after its prefill
    b.submit(attempt(2, 100, 50));
    b.submit(attempt(3, 100, 50, prefix));
    let seen = { load: 0, free: 0, match: 0 };
    at(engine, 40, () => {
      seen = {
        load: cluster.load(0),
        free: cluster.freeKvBlocks(0),
        match: cluster.prefixMatch(0, { prefix_blocks: [7, 8, 9] } as never),
      };
    });
    engine.run();
    // At 40 ms: #1 and #2 run (2 seats: 1 + waiting 1/2), #3 waits.
    expect(seen.load).toBeCloseTo(1 + 1 / 2, 9);
    expect(seen.match).toBeCloseTo(2 / 3, 9);
    // #1 and #2 prefilled together (10..~35 ms); at 40 ms their first decode step runs: #1 holds
    // ceil(301 / 16) = 19 blocks, #2 ceil(101 / 16) = 7; the rest is free.
    expect(seen.free).toBe(40 - 19 - 7);
    // #3 found both 64-token units of #1 cached, but its prompt is 100: at most 99 tokens -> one unit.
    const s = cluster.backendStats(0);
    expect(s.cache_lookups).toBe(3);
    expect(s.cache_hits).toBe(1);
    expect(s.cached_tokens).toBe(64);
  });

  it('is deterministic and conserves requests under overload (preemptions, long queue)', () => {
    const run = () => {
      const { engine, host, cluster } = setup([model(engineSpec({ kv_blocks: 300, max_model_len: 4096 }))]);
      for (let i = 0; i < 200; i++)
        at(engine, i * 5, () => cluster.backend(0).submit(attempt(i, 400 + (i % 7) * 50, 300)));
      engine.run();
      return {
        done: host.done.map((d) => [d.id, d.kind, d.e2e_ms]),
        stats: (cluster.model(0) as VllmModel).engineStats(),
      };
    };
    const a = run();
    expect(a.done.length).toBe(200);
    expect(a.done.every((d) => d[1] === 'ok')).toBe(true);
    expect(a.stats.preemptions).toBeGreaterThan(0);
    expect(a.stats.kv_peak_usage).toBeLessThanOrEqual(1);
    expect(run()).toEqual(a);
  });
});

describe('VllmModel faults', () => {
  it('cancel frees the sequence and its KV blocks at once; the rest carries on', () => {
    const { engine, host, cluster } = setup([model(engineSpec({ kv_blocks: 200 }))]);
    const b = cluster.backend(0);
    b.submit(attempt(1, 800, 400));
    b.submit(attempt(2, 800, 400));
    let before = 0;
    let after = 0;
    at(engine, 200, () => {
      before = cluster.freeKvBlocks(0);
      expect(b.cancel(2)).toBe(true);
      after = cluster.freeKvBlocks(0);
    });
    engine.run();
    // #2 held ceil((800 + its tokens so far) / 16) = 51..52 blocks.
    expect(after - before).toBeGreaterThanOrEqual(51);
    expect(host.done.map((d) => d.id)).toEqual([1]);
    expect(b.cancel(2)).toBe(false);
    expect(cluster.inFlight(0)).toBe(0);
  });

  it('cancel of a request still on its way (api overhead) or waiting: nothing reported, nothing left', () => {
    const { engine, host, cluster } = setup([model(engineSpec({ max_num_seqs: 1 }))]);
    const b = cluster.backend(0);
    b.submit(attempt(1, 100, 50));
    b.submit(attempt(2, 100, 50));
    at(engine, 5, () => expect(b.cancel(1)).toBe(true)); // before it reaches the scheduler (10 ms)
    b.submit(attempt(3, 100, 50));
    at(engine, 50, () => expect(b.cancel(3)).toBe(true)); // waiting behind #2 (one seat)
    engine.run();
    expect(host.done.map((d) => d.id)).toEqual([2]);
    expect(cluster.inFlight(0)).toBe(0);
  });

  it('a crash fails everything held and empties the prefix cache; after restart it serves cold', () => {
    const { engine, host, cluster } = setup([model(engineSpec())]);
    const b = cluster.backend(0);
    const prefix = { prefix_blocks: [1, 2, 3], block_tokens: 64 };
    b.submit(attempt(1, 300, 10, prefix));
    at(engine, 1000, () => {
      b.submit(attempt(2, 300, 500, prefix));
      b.submit(attempt(3, 300, 500));
    });
    at(engine, 1100, () => {
      b.faults!.crash();
      expect(b.submit(attempt(9, 10, 10))).toBe('unavailable');
      expect(cluster.prefixMatch(0, { prefix_blocks: [1, 2, 3] } as never)).toBe(0);
    });
    at(engine, 2000, () => {
      b.faults!.restart(0, 1);
      b.submit(attempt(4, 300, 10, prefix));
    });
    engine.run();
    expect(host.byId(2)).toMatchObject({ kind: 'error', detail: 'crash' });
    expect(host.byId(3)).toMatchObject({ kind: 'error', detail: 'crash' });
    expect(host.byId(4)).toMatchObject({ kind: 'ok', cached_tokens: 0 });
    expect(host.byId(1).cached_tokens).toBe(0);
    expect(cluster.freeKvBlocks(0)).toBe(7417);
  });

  it('a stall holds the step in flight and delays everything by its length', () => {
    const run = (stall: boolean) => {
      const { engine, host, cluster } = setup([model(engineSpec())]);
      const b = cluster.backend(0);
      b.submit(attempt(1, 300, 100));
      if (stall) {
        at(engine, 100, () => b.faults!.stall(true));
        at(engine, 600, () => b.faults!.stall(false));
      }
      engine.run();
      return host.byId(1).e2e_ms;
    };
    expect(run(true) - run(false)).toBeCloseTo(500, 6);
  });
});

describe('VllmModel invariants (random workloads)', () => {
  it('every attempt ends once or is cancelled; blocks are conserved; the cache stays within the KV', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 200 }),
            prompt: fc.integer({ min: 1, max: 700 }),
            output: fc.integer({ min: 1, max: 300 }),
            group: fc.integer({ min: 0, max: 3 }),
            cancelAfter: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 64, max: 200 }),
        (reqs, blocks) => {
          const e = engineSpec({
            kv_blocks: blocks,
            max_model_len: 1000,
            max_num_seqs: 8,
            max_num_batched_tokens: 256,
          });
          const { engine, host, cluster } = setup([model(e)]);
          const b = cluster.backend(0);
          const kv = () =>
            (cluster.model(0) as unknown as { kv: { used: number; free: number; total: number } }).kv;
          let t = 0;
          let cancelled = 0;
          reqs.forEach((r, id) => {
            t += r.gap;
            at(engine, t, () => {
              // Requests of a group share a 128-token system prompt (2 units of 64).
              const prefix = { prefix_blocks: [r.group * 10, r.group * 10 + 1, 1000 + id], block_tokens: 64 };
              b.submit(attempt(id, r.prompt, r.output, prefix));
              const k = kv();
              expect(k.free).toBeGreaterThanOrEqual(0);
              expect(k.used).toBeLessThanOrEqual(k.total);
            });
            if (r.cancelAfter !== undefined)
              at(engine, t + r.cancelAfter, () => {
                if (b.cancel(id)) cancelled++;
              });
          });
          engine.run();
          const ids = host.done.map((d) => d.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length + cancelled).toBe(reqs.length);
          for (const d of host.done) {
            const r = reqs[d.id];
            if (r.prompt + r.output > 1000) expect(d.kind).toBe('error');
            else expect(d).toMatchObject({ kind: 'ok', output_tokens: r.output });
          }
          expect(kv().used).toBe(0);
          expect(kv().free).toBe(blocks);
          expect(cluster.inFlight(0)).toBe(0);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});
