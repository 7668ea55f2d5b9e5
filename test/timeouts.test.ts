/**
 * router.request_timeout and traffic.client_timeout end to end: small deterministic scenarios (constant
 * arrivals, fixed service times) whose counts would come out differently if a timed-out attempt kept its
 * slot, were not retried, or a request that gave up were retried anyway.
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

describe('router.request_timeout', () => {
  // round_robin over a 5 s model A and a 100 ms model B: every attempt on A times out after 500 ms and is
  // retried at once on B (the retry's pick moves round_robin on, so every arrival goes to A).
  const SCN = `
seed: 1
router: { strategy: round_robin, request_timeout: 500ms, max_retries: 1, retry_delay: 0s, outlier_detection: { consecutive_failures: 0 } }
models:
  - { id: A, max_concurrency: 10, latency: { service: 5s } }
  - { id: B, max_concurrency: 10, latency: { service: 100ms } }
traffic: { arrivals: { process: constant, rate: 1/s }, requests: 10 }
`;

  it('times out the slow attempts, retries them elsewhere and frees their slots', async () => {
    const r = await run(SCN);
    expect(r.requests).toMatchObject({ total: 10, completed: 10, failed: 0, timed_out: 0, retried: 10 });
    expect(r.models.A).toMatchObject({ attempts: 10, failed_attempts: 10, completed: 0 });
    expect(r.models.B).toMatchObject({ attempts: 10, completed: 10 });
    // Each request: 500 ms on A, then 100 ms on B.
    expect(r.latency.e2e_ms.max).toBe(600);
    // A held each attempt 500 ms, not 5 s: 5 slot-seconds over 10 slots × the run.
    expect(r.models.A.utilization * 10 * r.sim.end_s).toBeCloseTo(5, 3);
  });

  it('without retries the request fails as timed out', async () => {
    const r = await run(SCN.replace('max_retries: 1', 'max_retries: 0'));
    expect(r.requests).toMatchObject({ total: 10, completed: 5, failed: 5, timed_out: 5, retried: 0 });
    expect(r.models.A).toMatchObject({ attempts: 5, failed_attempts: 5 });
  });

  it('a cancelled attempt lets the queue behind it move (one slot)', async () => {
    // One slot; each request needs 5 s, arrivals 1 s apart, a 2 s timeout counted from when the attempt
    // was sent (queueing included). The first holds the slot [0, 2); each later one waits for it, gets it
    // 1 s before its own deadline and is cut then. Without cancellation the first would hold it 5 s and
    // the others would never start.
    const r = await run(`
router: { request_timeout: 2s, max_retries: 0, outlier_detection: { consecutive_failures: 0 } }
models: [{ id: M, max_concurrency: 1, max_queue: 100, latency: { service: 5s } }]
traffic: { arrivals: { process: constant, rate: 1/s }, requests: 4 }
`);
    expect(r.requests).toMatchObject({ total: 4, completed: 0, failed: 4, timed_out: 4 });
    // Busy 2 + 1 + 1 + 1 slot-seconds.
    expect(r.models.M.utilization * r.sim.end_s).toBeCloseTo(5, 3);
  });
});

describe('traffic.client_timeout', () => {
  it('the whole request gives up, even while waiting to retry', async () => {
    // Every attempt fails after 100 ms; the retry would come 5 s later, but the client gives up at 2 s.
    const r = await run(`
router: { max_retries: 3, retry_delay: 5s, outlier_detection: { consecutive_failures: 0 } }
models: [{ id: M, max_concurrency: 10, failure_rate: 1, latency: { service: 100ms } }]
traffic: { arrivals: { process: constant, rate: 1/s }, requests: 6, client_timeout: 2s }
`);
    expect(r.requests).toMatchObject({ total: 6, completed: 0, failed: 6, timed_out: 6, retried: 6 });
    expect(r.models.M.attempts).toBe(6);
    expect(r.routing.retries).toBe(6);
  });

  it('cancels the attempt in service when the client gives up', async () => {
    const r = await run(`
models: [{ id: M, max_concurrency: 1, max_queue: 100, latency: { service: 10s } }]
traffic: { arrivals: { process: constant, rate: 1/s }, requests: 3, client_timeout: 1500ms }
`);
    expect(r.requests).toMatchObject({ total: 3, completed: 0, failed: 3, timed_out: 3 });
    // The first holds the slot 1.5 s; the second waits 0.5 s, then runs 1 s; the third waits 0.5 s, runs 1 s.
    expect(r.models.M.utilization * r.sim.end_s).toBeCloseTo(3.5, 3);
  });
});
