/**
 * Timeline events end to end: each scenario is small and deterministic where it can be (constant arrivals,
 * fixed service times, round_robin), and each assertion is on a per-bucket number that would come out
 * differently if the event were ignored.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import type { Report } from '../src/report/types.js';
import { loadScenario } from '../src/scenario/load.js';

async function run(text: string): Promise<Report> {
  const r = loadScenario(text, '');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return (await runScenario(r.scenario)).report;
}

/** Sum of series[from, to) (bucket indices). */
const sum = (xs: readonly number[], from: number, to: number) =>
  xs.slice(from, to).reduce((a, b) => a + b, 0);

describe('model added and removed mid-run', () => {
  // 10 req/s for 60 s, round_robin. C joins at 20 s; A leaves at 40 s with 3 s requests in flight; B leaves
  // for [30 s, 35 s) and comes back. Probes run every 2 s (they must not bring a removed model back).
  const SCN = `
seed: 3
duration: 60s
router: { strategy: round_robin, probes: { interval: 2s, unhealthy_after: 1, healthy_after: 1 } }
models:
  - { id: A, max_concurrency: 100, latency: { service: 3s } }
  - { id: B, max_concurrency: 100, latency: { service: 100ms } }
  - { id: C, max_concurrency: 100, latency: { service: 100ms }, initially: absent }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 600 }
events:
  - { at: 20s, model: C, add: true }
  - { at: 30s, model: B, remove: true }
  - { at: 35s, model: B, add: true }
  - { at: 40s, model: A, remove: true }
expect:
  - { metric: requests.completed, "==": 600 }
`;

  it('routes nothing to a model while it is out of the pool, and lets its in-flight work finish', async () => {
    const r = await run(SCN);
    const routed = r.timeline.routed;
    // C: absent for the first 20 buckets, then one of the candidates.
    expect(sum(routed.C, 0, 20)).toBe(0);
    expect(sum(routed.C, 20, 30)).toBeGreaterThan(30);
    // B: out during [30, 35) only.
    expect(sum(routed.B, 0, 30)).toBeGreaterThan(80);
    expect(sum(routed.B, 30, 35)).toBe(0);
    expect(sum(routed.B, 35, 40)).toBeGreaterThanOrEqual(16);
    // A: nothing after 40 s, but what it had accepted (3 s of work) still runs and completes.
    expect(sum(routed.A, 40, 60)).toBe(0);
    expect(r.timeline.in_flight.A[41]).toBeGreaterThan(5);
    expect(r.timeline.in_flight.A[45]).toBe(0);
    expect(r.models.A.completed).toBe(r.models.A.attempts);
    // Round robin over the pool: 2 models in [0,20) (100 each), 3 in [20,30) and [35,40), then B and C.
    expect(sum(routed.A, 0, 20)).toBe(100);
    expect(sum(routed.A, 20, 30)).toBeGreaterThanOrEqual(33);
    expect(sum(routed.A, 20, 30)).toBeLessThanOrEqual(34);
    expect(sum(routed.B, 40, 60) + sum(routed.C, 40, 60)).toBe(200);
    expect(Math.abs(sum(routed.B, 40, 60) - sum(routed.C, 40, 60))).toBeLessThanOrEqual(1);
    // Every request served, none refused; nothing fell back (an absent model is never a candidate).
    expect(r.requests.completed).toBe(600);
    expect(r.routing.fallbacks).toBe(0);
    // The health series shows the pool: 0 while out, 1 while in.
    expect(r.timeline.health.C.slice(0, 19).every((h) => h === 0)).toBe(true);
    expect(r.timeline.health.C.slice(20).every((h) => h === 1)).toBe(true);
    expect(r.timeline.health.A.slice(40).every((h) => h === 0)).toBe(true);
    expect(r.timeline.events.map((e) => e.label)).toEqual([
      'C: added',
      'B: removed',
      'B: added',
      'A: removed',
    ]);
  });
});

describe('capacity change (scale out, then in)', () => {
  // One model, 1 s fixed service, 2.5 req/s constant. 2 slots: the queue grows by 0.5/s. Scale out to 8 at
  // 30 s: the backlog (~15) drains at once and nothing waits. Scale in to 1 at 60 s: it grows by 1.5/s.
  // No horizon: the run ends when the backlog is served, so every wait is counted.
  const SCN = (events: string) => `
timeline: { interval: 10s }
router: { max_load_threshold: 1000 }
models: [{ id: A, max_concurrency: 2, max_queue: 1000, latency: { service: 1s } }]
traffic: { arrivals: { process: constant, rate: 2.5/s }, requests: 225 }
${events}`;

  it('queueing follows max_concurrency', async () => {
    const r = await run(
      SCN(`events:
  - { at: 30s, model: A, max_concurrency: 8 }
  - { at: 60s, model: A, max_concurrency: 1 }`),
    );
    const q = r.timeline.queued.A;
    // Before: the queue builds (0.5/s for 30 s: mean ~5 over [0,10), ~12 over [20,30)).
    expect(q[2]).toBeGreaterThan(8);
    // After scale out: drained within the first bucket, then nothing waits.
    expect(q[4]).toBe(0);
    expect(q[5]).toBe(0);
    // After scale in to one slot: 1.5/s more arrive than leave, ~7.5 waiting on average in [60,70),
    // ~37 in [80,90).
    expect(q[6]).toBeGreaterThan(4);
    expect(q[8]).toBeGreaterThan(30);
    // Without the events the queue just keeps growing at 0.5/s: ~22 waiting in [40,50), ~32 in [60,70).
    const base = await run(SCN(''));
    expect(base.timeline.queued.A[4]).toBeGreaterThan(18);
    expect(base.timeline.queued.A[6]).toBeGreaterThan(25);
    expect(q[6]).toBeLessThan(12);
  });
});

describe('quota change', () => {
  // 3 req/s to two models, round_robin; A may take 60 requests a minute, B is unlimited. Raised to 600 at
  // 60 s, A gets its round-robin half (90 a minute) instead of its quota.
  const SCN = `
duration: 180s
timeline: { interval: 60s }
router: { strategy: round_robin }
models:
  - { id: A, max_concurrency: 50, latency: { service: 100ms }, quota: { requests_per_minute: 60 } }
  - { id: B, max_concurrency: 50, latency: { service: 100ms } }
traffic: { arrivals: { process: constant, rate: 3/s }, requests: 540, prompt_tokens: 100, output_tokens: 10 }
events:
  - { at: 60s, model: A, quota: { requests_per_minute: 600 } }
  - { at: 120s, model: A, quota: { requests_per_minute: 30 } }
`;

  it('the router admits what the quota in force allows', async () => {
    const r = await run(SCN);
    const a = r.timeline.routed.A;
    expect(a[0]).toBe(60);
    expect(a[1]).toBe(90);
    expect(a[2]).toBe(30);
    expect(r.requests.completed).toBe(540);
    expect(r.requests.rejected).toBe(0);
  });
});

describe('router config switch', () => {
  // round_robin over a cheap and a dear model, switched to cost_based at 30 s: the dear one gets nothing.
  const SCN = `
duration: 60s
timeline: { interval: 10s }
router: { strategy: round_robin }
models:
  - { id: dear, max_concurrency: 50, latency: { service: 100ms }, cost_per_1k_tokens: 1 }
  - { id: cheap, max_concurrency: 50, latency: { service: 100ms }, cost_per_1k_tokens: 0.1 }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 600 }
events:
  - { at: 30s, router: { strategy: cost_based } }
`;

  it('switches the strategy at the given time', async () => {
    const r = await run(SCN);
    const dear = r.timeline.routed.dear;
    expect(dear.slice(0, 3)).toEqual([50, 50, 50]);
    expect(dear.slice(3, 6)).toEqual([0, 0, 0]);
    expect(r.routing.strategy_counts.round_robin).toBe(300);
    expect(r.routing.strategy_counts.cost_based).toBe(300);
  });
});

describe('canary ramp (A/B split moving over time)', () => {
  // All traffic on stable, then a ramp from split 1 to 0.5 over 40 s in 4 steps, starting at 10 s: the
  // steps land at 20, 30, 40 and 50 s (the ramp ends on its target), so the canary's share per 10 s bucket
  // should be 0, 0, 0.125, 0.25, 0.375, 0.5.
  const SCN = `
seed: 5
duration: 60s
timeline: { interval: 10s }
router:
  max_load_threshold: 1000
  ab_test: { model_a: stable, model_b: canary, split: 1 }
models:
  - { id: stable, max_concurrency: 1000, latency: { service: 50ms } }
  - { id: canary, max_concurrency: 1000, latency: { service: 50ms } }
traffic: { arrivals: { process: constant, rate: 100/s }, requests: 6000 }
events:
  - { at: 10s, ab_split: { to: 0.5, over: 40s, steps: 4 } }
`;

  it('the canary share per bucket follows the ramp within binomial bounds', async () => {
    const r = await run(SCN);
    const expected = [0, 0, 0.125, 0.25, 0.375, 0.5];
    for (let b = 0; b < 6; b++) {
      const n = r.timeline.routed.stable[b] + r.timeline.routed.canary[b];
      expect(n).toBe(1000);
      const p = expected[b];
      const share = r.timeline.routed.canary[b] / n;
      // 4 standard deviations of a binomial share over 1,000 draws (0 at p = 0: exact).
      const bound = 4 * Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(share - p)).toBeLessThanOrEqual(bound);
    }
    expect(r.routing.ab.a + r.routing.ab.b).toBe(6000);
    expect(r.timeline.events.map((e) => e.label)).toEqual([
      'ab_test split 0.875',
      'ab_test split 0.75',
      'ab_test split 0.625',
      'ab_test split 0.5',
    ]);
  });
});

describe('loader: add / remove', () => {
  it('rejects an event that both adds and removes, and an unknown model', () => {
    const r = loadScenario(
      `models: [{ id: A }, { id: B }]
events:
  - { at: 1s, model: A, add: true, remove: true }
  - { at: 2s, model: Z, remove: true }
`,
      '',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.issues.map((i) => `${i.line}: ${i.message}`);
    expect(msgs.some((m) => m.startsWith('3:') && m.includes('adds or removes'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('4:') && m.includes('`Z` is not a model'))).toBe(true);
  });

  it('splits an event into presence changes around its other changes', () => {
    const r = loadScenario(
      `duration: 10s
models: [{ id: A, initially: absent }]
events:
  - { at: 5s, model: A, add: true, max_concurrency: 4 }
  - { at: 9s, model: A, remove: true, health: degraded }
`,
      '',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.models[0].initially).toBe('absent');
    expect(r.scenario.events.map((e) => e.kind)).toEqual(['capacity', 'presence', 'presence', 'health']);
  });
});
