import { describe, expect, it } from 'vitest';
import type { LatencyModel } from '../../core/types.js';
import { SharedDevice } from './device.js';
import { attempt, modelSpec, setup } from './testkit.js';

const PROFILE: LatencyModel = {
  model: 'profile',
  profile_path: '/p.json',
  prefill_base_ms: 0,
  prefill_ms_per_token: 0.1, // 10 ms for 100 tokens
  decode_base_ms: 2,
  decode_per_seq_ms: 0,
};

describe('SharedDevice', () => {
  it('runs steps one at a time, in the order asked', () => {
    const d = new SharedDevice();
    expect(d.reserve(0, 10)).toBe(10);
    expect(d.reserve(3, 5)).toBe(15); // waits for the first
    expect(d.reserve(40, 1)).toBe(41); // free again
  });

  it('serializes the steps of models on the same device, and only those', () => {
    // One request each at t = 0: prefill 10 ms, then 4 decode steps of 2 ms = 18 ms alone.
    const alone = setup([modelSpec({ id: 'a', latency: PROFILE }), modelSpec({ id: 'b', latency: PROFILE })]);
    alone.cluster.backend(0).submit(attempt(1, 100, 5));
    alone.cluster.backend(1).submit(attempt(2, 100, 5));
    alone.engine.run();
    expect(alone.host.byId(1).e2e_ms).toBe(18);
    expect(alone.host.byId(2).e2e_ms).toBe(18);

    const shared = setup([
      modelSpec({ id: 'a', latency: PROFILE, device: 'cpu' }),
      modelSpec({ id: 'b', latency: PROFILE, device: 'cpu' }),
    ]);
    shared.cluster.backend(0).submit(attempt(1, 100, 5));
    shared.cluster.backend(1).submit(attempt(2, 100, 5));
    shared.engine.run();
    // Steps alternate a, b, a, b...: a's prefill 0-10, b's 10-20; a's decodes end 22, 26, 30, 34; b's 24..36.
    expect(shared.host.byId(1).ttft_ms).toBe(10);
    expect(shared.host.byId(2).ttft_ms).toBe(20);
    expect(shared.host.byId(1).e2e_ms).toBe(34);
    expect(shared.host.byId(2).e2e_ms).toBe(36);
  });
});
