/**
 * A fault drill in a live run: simulated models behind the router in wall-clock time, one of them crashed
 * by the timeline and restarted. The report has the fault and its drill as a simulated run's would, the
 * crashed model's held attempts fail and are retried on the other, and every request is accounted for.
 * About 1.5 s of wall clock.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLiveScenario } from '../src/experiments/run-scenario.js';
import { loadScenario } from '../src/scenario/load.js';

const YAML = `name: live-drill
seed: 5
router:
  strategy: round_robin
  max_retries: 2
  health_checks: true
  probes: { interval: 100ms, unhealthy_after: 1, healthy_after: 1 }
models:
  - { id: a, max_concurrency: 8, latency: { ttft: 30ms, tpot: 5ms } }
  - { id: b, max_concurrency: 8, latency: { ttft: 30ms, tpot: 5ms } }
traffic:
  arrivals: { process: poisson, rate: 40/s }
  requests: 60
  prompt_tokens: 100
  output_tokens: 20
events:
  - { at: 400ms, model: a, crash: { restart_after: 500ms } }
`;

describe('a crash drill in a live run', () => {
  it('reports the fault and its drill, retries what the crash failed, and loses no request', async () => {
    const loaded = loadScenario(YAML, join(import.meta.dirname, 'live-drill.yaml'));
    if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
    const { report } = await runLiveScenario(loaded.scenario);
    const r = report.requests;
    expect(r.total).toBe(60);
    expect(r.completed + r.failed + r.rejected + r.in_flight_at_horizon).toBe(60);
    expect(report.faults).toHaveLength(1);
    expect(report.faults?.[0]).toMatchObject({ kind: 'crash', model: 'a', at_ms: 400, end_ms: 900 });
    expect(report.drills).toHaveLength(1);
    const d = report.drills?.[0];
    expect(d).toMatchObject({ event: 'crash', model: 'a', at_s: 0.4 });
    // Whatever a held when it crashed failed there (about 0.4 s × 20/s × 190 ms of service: a few) and was
    // retried on b, so none of it is lost.
    expect(report.faults?.[0].failed_attempts).toBe(report.models.a.failed_attempts);
    expect(report.routing.retries).toBeGreaterThanOrEqual(report.models.a.failed_attempts);
    expect(r.failed).toBe(0);
    // b served what a could not while down.
    expect(report.models.b.completed).toBeGreaterThan(report.models.a.completed);
  }, 20_000);
});
