/**
 * Router replicas end to end (router.replicas, run/replicas.ts): several routers side by side, each with
 * its own state and, with `view: local`, only its own attempts as its idea of load; the partition event.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLiveScenario, runScenario } from '../src/experiments/run-scenario.js';
import { renderSummary } from '../src/report/summary.js';
import type { Report } from '../src/report/types.js';
import { loadScenario, loadScenarioFile } from '../src/scenario/load.js';

const EXAMPLE = join(import.meta.dirname, '..', 'scenarios', 'replicas-views.yaml');

async function run(text: string): Promise<Report> {
  const r = loadScenario(text, 'replicas-test.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return (await runScenario(r.scenario)).report;
}

function conserved(rep: Report): void {
  const q = rep.requests;
  expect(q.total).toBe(q.completed + q.failed + q.rejected + q.in_flight_at_horizon);
}

/** Two models with a fixed 10 ms service, constant arrivals: every count below is exact. */
function twoModels(router: string, events = '', requests = 100): string {
  return `
name: replicas-test
router: ${router}
models:
  - { id: a, max_concurrency: 4, max_queue: 1000, latency: { service: 10ms } }
  - { id: b, max_concurrency: 4, max_queue: 1000, latency: { service: 10ms } }
traffic:
  arrivals: { process: constant, rate: 10/s }
  requests: ${requests}
  prompt_tokens: 10
  output_tokens: 1
events: [${events}]
`;
}

describe('router replicas: view local vs shared under least_loaded', () => {
  // The example scenario: 8 models x 2 slots, 85% load, 60k requests. Seed 1 measured: local 271, 301,
  // 327, 437 ms at 1, 2, 4, 8 replicas; shared 271, 271, 277, 256 ms (within 6% of one router).
  async function p99(count: number, view: string): Promise<number> {
    const r = loadScenarioFile(EXAMPLE, {
      overrides: { 'router.replicas.count': count, 'router.replicas.view': view, 'traffic.requests': 60_000 },
    });
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    r.scenario.expect = [];
    const { report } = await runScenario(r.scenario);
    conserved(report);
    expect(report.requests.completed).toBe(60_000);
    return report.latency.queue_ms.p99;
  }

  it('with view: local the p99 queueing delay rises with every doubling of replicas; with shared it does not', async () => {
    const counts = [1, 2, 4, 8];
    const local: number[] = [];
    const shared: number[] = [];
    for (const c of counts) local.push(await p99(c, 'local'));
    for (const c of counts) shared.push(await p99(c, 'shared'));
    for (let k = 1; k < counts.length; k++) expect(local[k]).toBeGreaterThan(local[k - 1]);
    expect(local[3] / local[0]).toBeGreaterThan(1.4);
    // One router knows every attempt: local and shared are the same run.
    expect(shared[0]).toBe(local[0]);
    for (const s of shared) expect(Math.abs(s / shared[0] - 1)).toBeLessThan(0.1);
  }, 120_000);
});

describe('router replicas: independent state', () => {
  it('each replica has its own round-robin position', async () => {
    // 9 arrivals over 3 replicas (round_robin split): each replica routes 3, a-b-a, so a gets 6. One
    // router (or replicas sharing one position) would alternate over all 9: a gets 5.
    const three = await run(twoModels('{ strategy: round_robin, replicas: { count: 3 } }', '', 9));
    expect(three.models.a.attempts).toBe(6);
    expect(three.models.b.attempts).toBe(3);
    expect(three.routing.replicas?.map((r) => [r.requests, r.share.a])).toEqual(
      [
        [3, 2 / 3],
        [3, 2 / 3],
        [3, 2 / 3],
      ].map(([n, s]) => [n, Number(s.toFixed(6))]),
    );
    const one = await run(twoModels('{ strategy: round_robin }', '', 9));
    expect(one.models.a.attempts).toBe(5);
    expect(one.routing.replicas).toBeUndefined();
  });

  it('each replica has its own latency estimates: each one tries the slow model once', async () => {
    // latency_based tries models it has no estimate for first, then keeps to the fastest: one router
    // sends the slow model a single attempt; each replica learns for itself, so 4 replicas send it 4.
    const slow = (count: number) => `
name: latency-replicas
router: { strategy: latency_based, replicas: { count: ${count} } }
models:
  - { id: a, max_concurrency: 4, latency: { service: 500ms } }
  - { id: b, max_concurrency: 4, latency: { service: 10ms } }
traffic: { arrivals: { process: constant, rate: 1/s }, requests: 50, prompt_tokens: 10, output_tokens: 1 }
`;
    expect((await run(slow(1))).models.a.attempts).toBe(1);
    const four = await run(slow(4));
    expect(four.models.a.attempts).toBe(4);
    expect(four.routing.replicas?.map((r) => Math.round(r.decisions * r.share.a))).toEqual([1, 1, 1, 1]);
  });

  it('each replica has its own affinity table: round_robin splits sessions, session_hash keeps them', async () => {
    const sessions = (split: string, count: number) => `
name: affinity-replicas
router: { strategy: least_loaded, session_affinity: true, replicas: { count: ${count}, split: ${split} } }
models:
  - { id: a, max_concurrency: 64, latency: { service: 50ms } }
  - { id: b, max_concurrency: 64, latency: { service: 50ms } }
traffic:
  arrivals: { process: poisson, rate: 20/s }
  requests: 2000
  sessions: { count: 400, turns: { dist: geometric, mean: 5 }, think_time: 2s }
`;
    const one = await run(sessions('round_robin', 1));
    const hashed = await run(sessions('session_hash', 4));
    const spread = await run(sessions('round_robin', 4));
    for (const r of [one, hashed, spread]) conserved(r);
    // A session always reaches the same replica: every follow-up finds its entry, as with one router.
    expect(hashed.routing.affinity.hits).toBe(one.routing.affinity.hits);
    // Turns spread over 4 replicas: a turn's replica has usually not seen its session.
    // One router misses once per session (its first turn) and pins it; nothing expires here.
    const sessionsSeen = one.routing.affinity.misses;
    expect(one.routing.affinity.entries).toBe(sessionsSeen);
    expect(hashed.routing.affinity).toEqual(one.routing.affinity);
    // Spread over 4 replicas, a session misses once on each replica it reaches, and each such replica
    // pins it in its own table: more misses than sessions, at most 4 per session.
    const a = spread.routing.affinity;
    expect(a.hits + a.misses).toBe(2000);
    expect(a.entries).toBe(a.misses);
    expect(a.misses).toBeGreaterThan(2 * sessionsSeen);
    expect(a.misses).toBeLessThanOrEqual(4 * sessionsSeen);
    const sum = (r: Report) => (r.routing.replicas ?? []).reduce((s, x) => s + x.affinity_hits, 0);
    expect(sum(spread)).toBe(spread.routing.affinity.hits);
    expect(sum(hashed)).toBe(hashed.routing.affinity.hits);
  });

  it('is deterministic per seed, with the random split too', async () => {
    const text = twoModels('{ strategy: random, replicas: { count: 4, split: random } }', '', 500);
    const x = await run(text);
    const y = await run(text);
    expect(JSON.stringify(x)).toBe(JSON.stringify(y));
    const split = (x.routing.replicas ?? []).map((r) => r.requests);
    expect(split.reduce((s, v) => s + v, 0)).toBe(500);
    for (const n of split) expect(n).toBeGreaterThan(90);
  });

  it('view: local with stale signals runs to a whole, conserved report', async () => {
    const r = await run(
      twoModels(
        '{ strategy: least_loaded, signals: { refresh: 1s }, replicas: { count: 4, view: local } }',
        '',
        400,
      ),
    );
    conserved(r);
    expect(r.requests.completed).toBe(400);
    expect((r.routing.replicas ?? []).map((x) => x.requests)).toEqual([100, 100, 100, 100]);
  });

  it("a timed-out attempt leaves its replica's local count (the cancel frees it there too)", async () => {
    // a is slower than the timeout, b is not. At 1 arrival/s nothing is outstanding when a request
    // arrives, so each replica sees both models idle and breaks the tie at random: a gets about half
    // the first attempts. Were cancelled attempts never taken off the local count, a would look busy
    // for good after its first timeout and get nothing more.
    const r = await run(`
name: timeouts-local
router:
  strategy: least_loaded
  request_timeout: 100ms
  outlier_detection: { consecutive_failures: 0 }
  replicas: { count: 2, view: local }
models:
  - { id: a, max_concurrency: 1, latency: { service: 300ms } }
  - { id: b, max_concurrency: 1, latency: { service: 10ms } }
traffic: { arrivals: { process: constant, rate: 1/s }, requests: 200, prompt_tokens: 10, output_tokens: 1 }
`);
    conserved(r);
    expect(r.requests.completed).toBe(200);
    expect(r.models.a.completed).toBe(0);
    expect(r.models.a.failed_attempts).toBe(r.models.a.attempts);
    expect(r.models.a.attempts).toBeGreaterThan(70);
    expect(r.models.a.attempts).toBeLessThan(130);
  });

  it("a crash's failed attempts leave their replica's local count", async () => {
    // One arrival a second, 300 ms service: a replica has nothing outstanding when a request arrives and
    // breaks the least_loaded tie at random. With this seed an attempt is on a when it crashes at 2.1 s.
    // After the restart a gets 40 of the 96 later attempts; had the crashed attempt stayed counted, its
    // replica would see a busy for good and send it nothing (16 of 96 then).
    const r = await run(`
name: crash-local
seed: 1
router:
  strategy: least_loaded
  outlier_detection: { consecutive_failures: 0 }
  probes: { interval: 1h }
  replicas: { count: 2, view: local }
models:
  - { id: a, max_concurrency: 4, max_queue: 1000, latency: { service: 300ms } }
  - { id: b, max_concurrency: 4, max_queue: 1000, latency: { service: 300ms } }
traffic: { arrivals: { process: constant, rate: 1/s }, requests: 100, prompt_tokens: 10, output_tokens: 1 }
events:
  - { at: 2100ms, model: a, crash: { restart_after: 1s } }
`);
    conserved(r);
    expect(r.requests.completed).toBe(100);
    const routed = r.timeline.routed as Record<string, number[]>;
    expect(r.timeline.interval_ms).toBe(1000);
    const later = (id: string) => routed[id].slice(4).reduce((x, y) => x + y, 0);
    expect(later('a') + later('b')).toBe(96);
    expect(later('a')).toBeGreaterThan(30);
  });

  it('count 1 is the plain run: every figure but the config is the same', async () => {
    const base = twoModels('{ strategy: least_loaded }', '', 300);
    const plain = await run(base);
    const one = await run(
      twoModels('{ strategy: least_loaded, replicas: { count: 1, view: local } }', '', 300),
    );
    const { config: _a, ...p } = plain;
    const { config: _b, ...o } = one;
    expect(JSON.stringify(o)).toBe(JSON.stringify(p));
  });
});

describe('the partition event', () => {
  const partitioned = (replicas: string, outlier = 0) =>
    twoModels(
      `{ strategy: round_robin, max_retries: 1, outlier_detection: { consecutive_failures: ${outlier} }, replicas: { count: 2 } }`,
      `{ at: 1s, model: a, partition: { replicas: [${replicas}], for: 3s } }`,
    );

  it("fails only the named replicas' attempts to that model, and only while it lasts", async () => {
    const r = await run(partitioned('0'));
    conserved(r);
    expect(r.requests.completed).toBe(100);
    const [r0, r1] = r.routing.replicas ?? [];
    // Arrivals come every 100 ms from t = 0; replica 0 routes the even ones, alternating a and b. In
    // [1 s, 4 s) it routes 15: the one at 1.0 s goes to b by turn, and from then on each retry on b
    // takes b's turn, so the other 14 try a first, are refused at once and retried on b.
    expect(r.models.a.refused_attempts).toBe(14);
    expect(r0.retries).toBe(14);
    expect(r.routing.retries).toBe(14);
    // Replica 1 alternates as if nothing happened.
    expect(r1.retries).toBe(0);
    expect(r1.share.a).toBe(0.5);
    expect(r.models.a.completed + r.models.b.completed).toBe(100);
    // summary.md: one row per replica; replica 1 split evenly, replica 0 leaned on b.
    const md = renderSummary(r);
    expect(md).toContain('### Router replicas');
    expect(md).toMatch(/\| 1 \| 50 \| 50 \| 0 \| 0 \| 0 \| 0 \| 0 \| a 50.0% \|/);
  });

  it("a partitioned replica's own outlier detection ejects the model; the other keeps using it", async () => {
    const r = await run(partitioned('1', 3));
    const [r0, r1] = r.routing.replicas ?? [];
    expect(r1.ejections.a).toBe(1);
    expect(r0.ejections.a).toBe(0);
    expect(r0.share.a).toBe(0.5);
    expect(r1.retries).toBe(3);
    expect(r.models.a.refused_attempts).toBe(3);
  });

  it('works in live replay too (simulated models, wall-clock pacing)', async () => {
    const r = loadScenario(
      twoModels(
        '{ strategy: round_robin, max_retries: 1, outlier_detection: { consecutive_failures: 0 }, replicas: { count: 2 } }',
        '{ at: 0s, model: a, partition: { replicas: [0] } }',
        10,
      ).replace('rate: 10/s', 'rate: 50/s'),
      'live-replicas.yaml',
    );
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const { report } = await runLiveScenario(r.scenario, { threads: 1, drain_ms: 2000 });
    conserved(report);
    expect(report.requests.completed).toBe(10);
    const [r0, r1] = report.routing.replicas ?? [];
    // Replica 0 (arrivals 0, 2, ..., 8) never reaches a: each of its turns on a is refused and retried on b.
    expect(r0.retries).toBe(report.models.a.refused_attempts);
    expect(r0.retries).toBeGreaterThan(0);
    expect(r1.retries).toBe(0);
    expect(r1.share.a).toBe(0.6); // arrivals 1, 3, 5, 7, 9: a, b, a, b, a
  }, 30_000);

  it('expect: can name per-replica figures', async () => {
    const text = `${partitioned('1', 3)}
expect:
  - { metric: routing.replicas.1.ejections.a, "==": 1 }
  - { metric: routing.replicas.0.share.a, "==": 0.5 }
  - { metric: routing.replicas.1.retries, "==": 3 }
  - { metric: routing.replicas.2.retries, "==": 0 }
`;
    const r = await run(text);
    expect(r.expectations.map((e) => [e.actual, e.pass])).toEqual([
      [1, true],
      [0.5, true],
      [3, true],
      [null, false], // no replica 2 in this run
    ]);
    const bad = loadScenario(
      `${partitioned('1')}\nexpect: [{ metric: routing.replicas.0.share.zz, "==": 1 }]\n`,
      'x.yaml',
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0].message).toMatch(/routing.replicas.0.share.zz` is not a report metric/);
  });

  it('names only replicas that exist', () => {
    const r = loadScenario(partitioned('0, 2'), 'bad.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      expect.stringMatching(
        /^\d+:\d+ events\[0\]\.partition\.replicas\[1\]: partition names replica 2, but router.replicas.count is 2 \(replicas are 0..1\)$/,
      ),
    ]);
  });
});
