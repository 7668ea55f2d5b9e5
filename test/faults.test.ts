/**
 * Fault events end to end (crash, hang, flap, metrics_stale): small deterministic scenarios (constant
 * arrivals every 100 ms, fixed service times) whose per-bucket numbers would come out differently if the
 * fault were ignored or applied at the wrong moment. Every run also checks conservation (finishRun throws
 * when total != completed + failed + rejected + in flight).
 */
import { describe, expect, it } from 'vitest';
import { runLiveScenario, runScenario } from '../src/experiments/run-scenario.js';
import type { Report } from '../src/report/types.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';

function load(text: string): Scenario {
  const r = loadScenario(text, '');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return r.scenario;
}

async function run(text: string): Promise<Report> {
  return (await runScenario(load(text))).report;
}

const slice = (xs: readonly (number | null)[], from: number, to: number) => xs.slice(from, to);
const sum = (xs: readonly number[], from: number, to: number) =>
  xs.slice(from, to).reduce((a, b) => a + b, 0);

describe('crash', () => {
  // round_robin over A (2 s per request) and B (100 ms): A holds the 10 requests it got in the last 2 s.
  // It crashes at 10.05 s and restarts at 15.05 s; the failed attempts are retried on B at once.
  const SCN = `
router:
  strategy: round_robin
  max_retries: 1
  retry_delay: 0s
  probes: { interval: 1s, unhealthy_after: 1, healthy_after: 1 }
  outlier_detection: { consecutive_failures: 0 }
models:
  - { id: A, max_concurrency: 100, latency: { service: 2s } }
  - { id: B, max_concurrency: 100, latency: { service: 100ms } }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 250 }
events:
  - { at: 10050ms, model: A, crash: { restart_after: 5s } }
`;

  it('fails every attempt in flight at the crash instant, and the router routes around it', async () => {
    const r = await run(SCN);
    expect(r.faults).toEqual([
      {
        kind: 'crash',
        model: 'A',
        at_ms: 10050,
        end_ms: 15050,
        warmup_ms: 0,
        crashes: 1,
        failed_attempts: 10,
      },
    ]);
    // A's only failures are the 10 it held: all in the bucket of the crash, none before.
    expect(sum(r.timeline.errors, 0, 10)).toBe(0);
    expect(r.timeline.errors[10]).toBe(10);
    expect(r.models.A.failed_attempts).toBe(10);
    // Until the probe at 11 s marks A down, round_robin still sends it requests: each is refused at once
    // and retried on B, like the 10 that failed.
    expect(r.models.A.refused_attempts).toBeGreaterThan(0);
    expect(r.requests.retried).toBe(10 + r.models.A.refused_attempts);
    expect(r.requests).toMatchObject({ total: 250, completed: 250, failed: 0 });
    // The router saw A down from the probe at 11 s and up again from the probe at 16 s.
    expect(r.models.A.health_changes).toEqual([
      { at_ms: 10050, true_health: 'unhealthy', detected_at_ms: 11000, delay_ms: 950 },
      { at_ms: 15050, true_health: 'healthy', detected_at_ms: 16000, delay_ms: 950 },
    ]);
    expect(sum(r.timeline.routed.A, 11, 16)).toBe(0);
    expect(r.timeline.routed.A[16]).toBeGreaterThan(0);
  });

  it('comes back with an empty cache: the hit rate after the restart starts at zero', async () => {
    // One model with a prefix cache; every prompt shares its first 512-token block. Blocks are inserted
    // at the first token (1.5 s after service starts), so attempts starting in the first second after the
    // restart at 11 s all miss, while before the crash every attempt hit. (The per-bucket rate is over
    // the attempts that completed: those started in [8.55 s, 10.05 s) were lost in the crash.)
    const r = await run(`
router: { max_retries: 0, outlier_detection: { consecutive_failures: 0 } }
models:
  - id: A
    max_concurrency: 100
    latency: { ttft: 1500ms, tpot: 1ms }
    cache: { capacity_tokens: 100000, block_tokens: 512 }
traffic:
  arrivals: { process: constant, rate: 10/s }
  requests: 150
  prompt_tokens: 1024
  output_tokens: 10
  shared_prefix_tokens: 512
  block_tokens: 512
events:
  - { at: 10050ms, model: A, crash: { restart_after: 950ms, warmup: 2s, warmup_slowdown: 2 } }
`);
    const hit = r.timeline.cache_hit_rate.A;
    expect(slice(hit, 2, 8)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(hit[9]).toBeNull();
    expect(hit[11]).toBe(0);
    expect(hit[14]).toBe(1);
    expect(r.faults?.[0]).toMatchObject({ kind: 'crash', at_ms: 10050, end_ms: 11000, warmup_ms: 2000 });
  });

  it('without restart_after the model stays down to the end', async () => {
    const r = await run(SCN.replace('crash: { restart_after: 5s }', 'crash: true'));
    expect(r.faults?.[0]).toMatchObject({ end_ms: null, crashes: 1, failed_attempts: 10 });
    expect(sum(r.timeline.routed.A, 11, r.timeline.routed.A.length)).toBe(0);
    expect(r.requests.completed).toBe(250);
  });
});

describe('hang', () => {
  // One model, 200 ms per request, 10 requests/s; it hangs for [10 s, 15 s).
  const SCN = `
router: { max_retries: 0, probes: { interval: 60s }, outlier_detection: { consecutive_failures: 0 } }
models: [{ id: A, max_concurrency: 100, latency: { service: 200ms } }]
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 200 }
events:
  - { at: 10s, model: A, hang: 5s }
`;

  it('with no timeout, no attempt completes during the hang; all complete after it', async () => {
    const r = await run(SCN);
    expect(sum(r.timeline.completed, 10, 15)).toBe(0);
    expect(sum(r.timeline.completed, 0, 10)).toBeGreaterThan(90);
    expect(r.requests).toMatchObject({ total: 200, completed: 200, failed: 0 });
    expect(r.faults).toEqual([
      { kind: 'hang', model: 'A', at_ms: 10000, end_ms: 15000, warmup_ms: 0, crashes: 0, failed_attempts: 0 },
    ]);
    // The requests caught by the hang waited it out: the longest took 5 s more than 200 ms.
    expect(r.latency.e2e_ms.max).toBe(5200);
  });

  it('request_timeout notices the hang and frees the attempts', async () => {
    const r = await run(SCN.replace('max_retries: 0', 'max_retries: 0, request_timeout: 1s'));
    // Timed out: the two running at 10 s (sent at 9.8 and 9.9 s), the 41 sent in [10.0, 14.0] (their
    // deadline is at or before the hang's end, and a timeout wins a tie), and the 2 sent at 14.1 and
    // 14.2 s (they start at 15 s and need 200 ms: 15.2 s, at or past their deadline).
    expect(r.requests.timed_out).toBe(45);
    expect(r.requests).toMatchObject({ total: 200, completed: 155, failed: 45 });
    expect(sum(r.timeline.completed, 10, 15)).toBe(0);
  });
});

describe('determinism', () => {
  it('the same fault scenario and seed give a byte-identical report', async () => {
    const text = `
seed: 5
router: { strategy: power_of_two, request_timeout: 2s, retry_budget: 0.3, outlier_detection: { max_ejection_percent: 50 } }
models:
  - { id: A, max_concurrency: 8, latency: { ttft: { dist: lognormal, median: 200ms, p99: 1s }, tpot: 10ms }, cache: { capacity_tokens: 50000, block_tokens: 16 } }
  - { id: B, max_concurrency: 8, latency: { prefill_per_token: 0.1ms, decode_step: 10ms, max_batch: 8 } }
traffic: { arrivals: { process: poisson, rate: 20/s }, requests: 600, shared_prefix_tokens: 64, block_tokens: 16, client_timeout: 5s }
events:
  - { at: 5s, model: A, crash: { restart_after: 3s, warmup: 2s } }
  - { at: 12s, model: B, hang: 4s }
  - { at: 18s, model: A, flap: { period: 2s, down: 500ms, until: 24s } }
  - { at: 20s, model: B, metrics_stale: 5s }
`;
    const a = JSON.stringify(await run(text));
    const b = JSON.stringify(await run(text));
    expect(a).toBe(b);
    const r = JSON.parse(a) as Report;
    expect(r.faults?.map((f) => f.kind)).toEqual(['crash', 'hang', 'flap', 'metrics_stale']);
    expect(r.requests.total).toBe(600);
  });
});

describe('overlapping faults', () => {
  it('the true health stays unhealthy while either a crash or a hang lasts', async () => {
    const r = await run(`
router: { max_retries: 0, probes: { interval: 1s, unhealthy_after: 1, healthy_after: 1 }, outlier_detection: { consecutive_failures: 0 } }
models: [{ id: A, max_concurrency: 100, latency: { service: 200ms } }]
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 300 }
events:
  - { at: 10s, model: A, crash: { restart_after: 5s } }
  - { at: 12s, model: A, hang: 8s }
`);
    expect(r.models.A.health_changes.map((c) => [c.at_ms, c.true_health, c.detected_at_ms])).toEqual([
      [10_000, 'unhealthy', 10_000],
      [20_000, 'healthy', 20_000],
    ]);
    expect(r.faults?.map((f) => [f.kind, f.at_ms, f.end_ms])).toEqual([
      ['crash', 10_000, 15_000],
      ['hang', 12_000, 20_000],
    ]);
    // Nothing completes from the crash to the hang's end; the run accounts for every request.
    expect(sum(r.timeline.completed, 11, 20)).toBe(0);
    expect(r.requests.total).toBe(300);
  });
});

describe('flap', () => {
  it('crashes at the start of every period and restarts after down, until `until`', async () => {
    const r = await run(`
router: { strategy: round_robin, max_retries: 1, retry_delay: 0s, outlier_detection: { consecutive_failures: 0 } }
models:
  - { id: A, max_concurrency: 100, latency: { service: 1s } }
  - { id: B, max_concurrency: 100, latency: { service: 100ms } }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 150 }
events:
  - { at: 2050ms, model: A, flap: { period: 2s, down: 500ms, until: 10s } }
`);
    // Crashes at 2.05, 4.05, 6.05 and 8.05 s, each failing the 5 requests A got in the last second; up
    // again 500 ms later; the last restart at 8.55 s.
    expect(r.faults).toEqual([
      { kind: 'flap', model: 'A', at_ms: 2050, end_ms: 8550, warmup_ms: 0, crashes: 4, failed_attempts: 20 },
    ]);
    expect(r.models.A.failed_attempts).toBe(20);
    expect(r.requests).toMatchObject({ total: 150, completed: 150, failed: 0 });
    expect(r.timeline.events.filter((e) => e.label === 'A: flap down').map((e) => e.at_ms)).toEqual([
      2050, 4050, 6050, 8050,
    ]);
  });
});

describe('metrics_stale', () => {
  // A alone takes 10 requests/s of 2 s each on 10 slots (load 2, over max_load_threshold) until B joins
  // at 5 s. Frozen at 4.95 s, A's view shows load 2 for 10 s, so least_loaded sends it nothing though it
  // drains by 7 s; once fresh again A is the least loaded and gets traffic.
  const SCN = `
router: { strategy: least_loaded, max_retries: 0, outlier_detection: { consecutive_failures: 0 } }
models:
  - { id: A, max_concurrency: 10, max_queue: 1000, latency: { service: 2s } }
  - { id: B, max_concurrency: 1000, latency: { service: 2s }, initially: absent }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 250 }
events:
  - { at: 4950ms, model: A, metrics_stale: 10s }
  - { at: 5s, model: B, add: true }
`;

  it("freezes the router's view of the model's load; the model keeps working", async () => {
    const r = await run(SCN);
    expect(sum(r.timeline.routed.A, 5, 15)).toBe(0);
    expect(r.timeline.routed.A[15]).toBeGreaterThan(0);
    expect(r.requests).toMatchObject({ total: 250, completed: 250 });
    expect(r.faults?.[0]).toMatchObject({ kind: 'metrics_stale', at_ms: 4950, end_ms: 14950 });
  });

  it('without it, A gets traffic again as soon as it has drained', async () => {
    const r = await run(SCN.replace('  - { at: 4950ms, model: A, metrics_stale: 10s }\n', ''));
    expect(sum(r.timeline.routed.A, 5, 15)).toBeGreaterThan(0);
    expect(r.faults).toBeUndefined();
  });
});

describe('outlier_detection.max_ejection_percent', () => {
  // Both models fail every attempt from 5 s; outlier detection (3 in a row) would eject both; probes
  // (every 60 s) stay out of it.
  const SCN = `
router:
  strategy: round_robin
  max_retries: 1
  retry_delay: 0s
  probes: { interval: 60s }
  outlier_detection: { consecutive_failures: 3, cooldown: 10s PCT }
models:
  - { id: A, max_concurrency: 100, latency: { service: 100ms } }
  - { id: B, max_concurrency: 100, latency: { service: 100ms } }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 200 }
events:
  - { at: 5s, model: A, failure_rate: 1 }
  - { at: 5s, model: B, failure_rate: 1 }
`;
  const bothOut = (r: Report) =>
    r.timeline.health.A.filter((h, k) => h === 0 && r.timeline.health.B[k] === 0).length;

  it('without it, both models are ejected at once', async () => {
    const r = await run(SCN.replace(' PCT', ''));
    expect(bothOut(r)).toBeGreaterThan(0);
  });

  it('with 50%, at most one of the two is ever ejected', async () => {
    const r = await run(SCN.replace(' PCT', ', max_ejection_percent: 50'));
    expect(bothOut(r)).toBe(0);
    expect(r.timeline.health.A.concat(r.timeline.health.B).filter((h) => h === 0).length).toBeGreaterThan(0);
    expect(r.config).toMatchObject({ router: { outlier_detection: { max_ejection_percent: 50 } } });
  });
});

describe('faults in run --live (simulated models, wall-clock time)', () => {
  it('a crash fails the in-flight attempts when it happens', async () => {
    // 20 virtual ms per wall ms: the 3 s run takes 150 ms of wall time.
    const s = load(`
router: { strategy: round_robin, max_retries: 1, retry_delay: 0s, outlier_detection: { consecutive_failures: 0 } }
models:
  - { id: A, max_concurrency: 100, latency: { service: 1s } }
  - { id: B, max_concurrency: 100, latency: { service: 100ms } }
traffic: { arrivals: { process: constant, rate: 10/s }, requests: 30 }
events:
  - { at: 2050ms, model: A, crash: { restart_after: 500ms } }
`);
    const { report, result } = await runLiveScenario(s, { speed: 20 });
    expect(result.live).not.toBeNull();
    expect(report.faults?.[0]).toMatchObject({
      kind: 'crash',
      at_ms: 2050,
      end_ms: 2550,
      failed_attempts: 5,
    });
    expect(report.models.A.failed_attempts).toBe(5);
    expect(report.requests).toMatchObject({ total: 30, completed: 30, failed: 0 });
  });
});
