/**
 * Same-instant order as a stated rule (engine/heap.ts): a timeline change at t applies before anything
 * else at t, so an arrival at exactly t already sees it.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import { loadScenario } from '../src/scenario/load.js';

describe('same-instant event order', () => {
  it('routes an arrival at the instant of a removal or an addition as if the change had happened', async () => {
    // Constant arrivals every 250 ms from t = 0; A (round_robin's first pick) leaves the pool at 0 and comes back at 1 s. The first
    // arrival is scheduled before the timeline is: only the priority class puts the removal first.
    const r = loadScenario(
      `
seed: 1
timeline: { interval: 1s }
router: { strategy: round_robin }
models:
  - { id: A, max_concurrency: 100, latency: { service: 10ms } }
  - { id: B, max_concurrency: 100, latency: { service: 10ms } }
traffic: { arrivals: { process: constant, rate: 4/s }, requests: 8 }
events:
  - { at: 0s, model: A, remove: true }
  - { at: 1s, model: A, add: true }
`,
      '',
    );
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const { report } = await runScenario(r.scenario);
    const t = report.timeline;
    expect(t.arrivals.slice(0, 2)).toEqual([4, 4]);
    expect(t.routed.A.slice(0, 2)).toEqual([0, 2]);
    expect(t.routed.B.slice(0, 2)).toEqual([4, 2]);
  });
});
