/**
 * The timeline is bounded by design (metrics/timebase.ts): a run whose span outgrows the bucket cap at the
 * configured width coarsens by doubling, and what it reports is exactly what a run at the coarse width from
 * the start reports.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TIMELINE_BUCKETS } from '../src/core/limits.js';
import { runScenario } from '../src/experiments/run-scenario.js';
import { loadScenario } from '../src/scenario/load.js';

function scenario(extra: string) {
  const r = loadScenario(
    `
seed: 4
${extra}
router: { strategy: round_robin }
models:
  - { id: A, max_concurrency: 4, latency: { ttft: 10h, tpot: 10ms } }
  - { id: B, max_concurrency: 4, latency: { ttft: 2h, tpot: 10ms }, quota: { requests_per_minute: 3 } }
traffic:
  arrivals: { process: poisson, rate: 1/s }
  requests: 12
  prompt_tokens: { dist: fixed, value: 100 }
  output_tokens: { dist: fixed, value: 10 }
events:
  - { at: 5h, model: B, health: degraded }
`,
    '',
  );
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.scenario;
}

describe('a timeline whose span outgrows the cap', () => {
  it('coarsens to a bounded number of buckets and records the width it used', async () => {
    const { report } = await runScenario(scenario(''));
    const t = report.timeline;
    // A's 4 slots serve 9 requests of 10 h: a 30 h span, 108,000 buckets at 1 s; up to 16 s it is still
    // over 4,096, 32 s gives 3,376.
    expect(report.sim.end_s).toBeCloseTo(108_000.95, 2);
    expect(t.interval_ms).toBe(32_000);
    expect(t.t_ms.length).toBe(3376);
    expect(t.t_ms.length).toBeLessThanOrEqual(MAX_TIMELINE_BUCKETS);
    expect(t.t_ms[1]).toBe(32_000);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(t.arrivals)).toBe(report.requests.total);
    expect(sum(t.completed)).toBe(report.requests.completed);
    expect(sum(t.routed.A) + sum(t.routed.B)).toBe(report.models.A.attempts + report.models.B.attempts);
    // Busy time is conserved: Σ in_flight × bucket span = Σ attempt durations on A (each 10 h + 90 ms).
    const spans = t.t_ms.map((s) => Math.min(32_000, report.sim.end_s * 1000 - s));
    const busyA = t.in_flight.A.reduce((a, v, b) => a + v * spans[b], 0);
    expect(busyA / (report.models.A.completed * (36_000_000 + 90))).toBeCloseTo(1, 5);
    expect(t.health.B[0]).toBe(1);
    expect(t.health.B[Math.floor(18_000_000 / 32_000) - 1]).toBe(1);
    expect(t.health.B[Math.floor(18_000_000 / 32_000) + 1]).toBe(0.5);
  });

  it('reports exactly what a run at the coarse width from the start reports', async () => {
    const adaptive = await runScenario(scenario(''));
    const fixed = await runScenario(scenario('timeline: { interval: 32s }'));
    expect(fixed.report.timeline.interval_ms).toBe(32_000);
    expect(adaptive.report.timeline).toEqual(fixed.report.timeline);
  });

  it('keeps the configured width when the span fits', async () => {
    const { report } = await runScenario(scenario('duration: 30s\ntimeline: { interval: 10ms }'));
    expect(report.timeline.interval_ms).toBe(10);
    expect(report.timeline.t_ms.length).toBe(3000);
  });
});
