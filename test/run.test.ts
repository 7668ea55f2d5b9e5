/**
 * Whole runs, the way users make them: scenario files through the loader, runScenario, and `routesim run`
 * through main() in-process. What must hold: every request accounted for (faults, retries, refusals, a
 * horizon that cuts requests off), byte-identical report.json for a seed, the integration scenarios'
 * expectations, and the exit codes 0 / 1 / 2.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { runScenario } from '../src/experiments/run-scenario.js';
import { toJson } from '../src/report/formats.js';
import type { Report } from '../src/report/types.js';
import { loadScenario, loadScenarioFile } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/types.js';
import { captureIo } from './testkit.js';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');

function fromFile(name: string, opts: { seed?: number; overrides?: Record<string, unknown> } = {}): Scenario {
  const r = loadScenarioFile(join(SCENARIOS, name), opts);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return r.scenario;
}

function fromText(text: string): Scenario {
  const r = loadScenario(text, '');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return r.scenario;
}

/** Conservation of requests, and the counts that must agree with each other. */
function checkAccounting(r: Report): void {
  const q = r.requests;
  expect(q.total).toBe(q.completed + q.failed + q.rejected + q.in_flight_at_horizon);
  const models = Object.values(r.models);
  const routed = models.reduce((a, m) => a + m.attempts, 0);
  const decisions = Object.values(r.routing.strategy_counts).reduce((a, b) => a + b, 0);
  // Every routed decision is one attempt on one model; each attempt ends ok, failed, refused, or is in flight.
  expect(routed).toBe(decisions);
  const ended = models.reduce((a, m) => a + m.completed + m.failed_attempts + m.refused_attempts, 0);
  expect(ended).toBeLessThanOrEqual(routed);
  expect(routed - ended).toBeLessThanOrEqual(q.in_flight_at_horizon);
  expect(models.reduce((a, m) => a + m.completed, 0)).toBe(q.completed);
  expect(r.timeline.arrivals.reduce((a, b) => a + b, 0)).toBe(q.total);
  expect(r.timeline.completed.reduce((a, b) => a + b, 0)).toBe(q.completed);
  expect(r.timeline.retries.reduce((a, b) => a + b, 0)).toBe(r.routing.retries);
  expect(r.latency.e2e_ms.count).toBe(q.completed);
  if (routed > 0) expect(models.reduce((a, m) => a + m.share, 0)).toBeCloseTo(1, 5);
}

const FAULTY = `
name: faulty
seed: 9
duration: 90s
router:
  strategy: round_robin
  max_retries: 2
  retry_delay: 20ms
  signals: { refresh: 500ms }
  probes: { interval: 1s, unhealthy_after: 2, healthy_after: 2 }
  outlier_detection: { consecutive_failures: 3, cooldown: 5s }
models:
  - { id: flaky, max_concurrency: 4, max_queue: 4, latency: { ttft: 100ms, tpot: 5ms }, failure_rate: 0.2 }
  - { id: small, max_concurrency: 2, max_queue: 2, latency: { service: { dist: exponential, mean: 300ms } } }
  - id: limited
    max_concurrency: 8
    latency: { ttft: 50ms, tpot: 5ms }
    quota: { requests_per_minute: 300, tokens_per_minute: 200000, initial_used: 0.5 }
traffic:
  arrivals: { process: poisson, rate: 40/s }
  requests: 5000
  prompt_tokens: { dist: lognormal, median: 300, p99: 2000 }
  output_tokens: { dist: exponential, mean: 40 }
events:
  - { at: 10s, model: small, health: unhealthy }
  - { at: 25s, model: small, health: healthy }
  - { at: 30s, model: flaky, latency_factor: 3 }
  - { at: 40s, model: limited, max_concurrency: 2 }
  - { at: 50s, router: { strategy: least_loaded } }
`;

describe('routesim run: accounting', () => {
  it('accounts for every request under faults, retries, refusals, stale signals and a horizon', async () => {
    const { report: r } = await runScenario(fromText(FAULTY));
    checkAccounting(r);
    // The scenario is built to exercise every path; make sure it did.
    expect(r.requests.in_flight_at_horizon).toBeGreaterThan(0);
    expect(r.requests.failed).toBeGreaterThan(0);
    expect(r.requests.rejected).toBeGreaterThan(0);
    expect(r.requests.retried).toBeGreaterThan(0);
    expect(r.routing.retries).toBeGreaterThanOrEqual(r.requests.retried);
    expect(r.models.flaky.failed_attempts).toBeGreaterThan(0);
    expect(r.models.limited.refused_attempts + r.models.small.refused_attempts).toBeGreaterThan(0);
    expect(r.sim.end_s).toBe(90);
    // The outage was detected, and the recovery too, by probes or ejection.
    const hc = r.models.small.health_changes;
    expect(hc.map((c) => c.true_health)).toEqual(['unhealthy', 'healthy']);
    expect(hc[0].delay_ms).not.toBeNull();
    expect(hc[0].delay_ms!).toBeLessThanOrEqual(2000);
    expect(hc[1].delay_ms).not.toBeNull();
    expect(r.routing.strategy_counts.least_loaded).toBeGreaterThan(0);
    expect(r.timeline.quota_used.limited.length).toBe(90);
    expect(r.timeline.quota_used.flaky).toBeUndefined();
  });

  it('accounts for every request in the shipped scenarios', async () => {
    for (const f of [
      'quickstart.yaml',
      'cache-aware.yaml',
      'quota-aware.yaml',
      'health-filtering.yaml',
      'session-affinity.yaml',
    ]) {
      const { report } = await runScenario(fromFile(f));
      checkAccounting(report);
      expect(report.requests.in_flight_at_horizon).toBe(0);
    }
  });

  it('keeps what happens exactly at the horizon in the timeline', async () => {
    // Constant arrivals every 500 ms and a fixed 500 ms service: the last request ends at exactly 10 s.
    const { report } = await runScenario(
      fromText(`duration: 10s
models: [{ id: A, max_concurrency: 100, latency: { ttft: 500ms, tpot: 0ms } }]
traffic: { arrivals: { process: constant, rate: 2/s }, requests: 100, output_tokens: 1 }
`),
    );
    checkAccounting(report);
    expect(report.requests.completed).toBe(20);
    expect(report.sim.end_s).toBe(10);
  });

  it('reports a run with no traffic as empty, not as an error', async () => {
    const { report } = await runScenario(
      fromText(
        'models: [{ id: A }]\ntraffic: { requests: 0 }\nexpect: [{ metric: requests.total, "==": 0 }]\n',
      ),
    );
    expect(report.requests.total).toBe(0);
    expect(report.expectations[0].pass).toBe(true);
  });
});

describe('routesim run: the timeline', () => {
  it("integrates in service and queued exactly: utilization and Little's law over the buckets", async () => {
    const s = fromFile('mm1.yaml', {
      overrides: { 'traffic.arrivals.rate': 90, 'traffic.requests': 20_000 },
    });
    const { report: r } = await runScenario(s);
    const tl = r.timeline;
    const end = r.sim.end_s * 1000;
    const area = (xs: number[]) =>
      xs.reduce((a, v, b) => a + v * Math.min(tl.interval_ms, end - b * tl.interval_ms), 0);
    // One slot: time-average in service = utilization.
    expect(area(tl.in_flight.server) / end).toBeCloseTo(r.models.server.utilization, 4);
    // Little: time-average queued = (completed / time) * mean wait, every request having ended.
    const q = r.latency.queue_ms;
    expect(area(tl.queued.server) / end).toBeCloseTo((q.count * q.mean) / end, 3);
    // And both near M/M/1 at 90% load (utilization 0.9, Lq = 8.1) over this short run.
    expect(r.models.server.utilization).toBeGreaterThan(0.85);
    expect(area(tl.queued.server) / end).toBeGreaterThan(5);
    expect(area(tl.queued.server) / end).toBeLessThan(12);
    expect(tl.arrivals.length).toBe(Math.ceil(end / tl.interval_ms));
  });
});

describe('routesim run: signal staleness', () => {
  const herd = (refresh: string) => `
name: herd
router: { strategy: least_loaded, max_load_threshold: 100, signals: { refresh: ${refresh} } }
models: [{ id: A, max_concurrency: 8 }, { id: B, max_concurrency: 8 }, { id: C, max_concurrency: 8 }, { id: D, max_concurrency: 8 }]
traffic: { arrivals: { rate: 40/s }, requests: 2000, output_tokens: 20 }
`;
  /** Mean over busy buckets of the largest model's share of that bucket's decisions. */
  function herding(r: Report): number {
    const ids = Object.keys(r.timeline.routed);
    const shares: number[] = [];
    r.timeline.t_ms.forEach((_, b) => {
      const counts = ids.map((id) => r.timeline.routed[id][b]);
      const sum = counts.reduce((a, c) => a + c, 0);
      if (sum >= 20) shares.push(Math.max(...counts) / sum);
    });
    return shares.reduce((a, x) => a + x, 0) / shares.length;
  }

  it('live signals spread least_loaded traffic; signals refreshed every 5 s make it herd', async () => {
    const live = (await runScenario(fromText(herd('0ms')))).report;
    const stale = (await runScenario(fromText(herd('5s')))).report;
    checkAccounting(stale);
    // Four models: an even spread gives each bucket's busiest model about 1/4 of it.
    expect(herding(live)).toBeLessThan(0.4);
    // Stale: between refreshes every decision sees the same snapshot and picks the same model (or one of
    // the models tied in it, at random).
    expect(herding(stale)).toBeGreaterThan(0.6);
    expect(herding(stale) - herding(live)).toBeGreaterThan(0.25);
  });
});

describe('routesim run: reproducibility', () => {
  it('gives a byte-identical report.json for the same seed, and a different one for another seed', async () => {
    const a = toJson((await runScenario(fromText(FAULTY))).report);
    let ticks = 0;
    const b = toJson((await runScenario(fromText(FAULTY), { stopwatch: () => ticks++ * 0.001 })).report);
    expect(b).toBe(a);
    const other = fromText(FAULTY);
    other.seed = 10;
    const c = toJson((await runScenario(other)).report);
    expect(c).not.toBe(a);
  });
});

describe('routesim run: the integration scenarios of the original design', () => {
  for (const f of [
    'cache-aware.yaml',
    'quota-aware.yaml',
    'health-filtering.yaml',
    'session-affinity.yaml',
  ]) {
    it(`${f}: every expectation holds`, async () => {
      const { report } = await runScenario(fromFile(f));
      expect(report.expectations.length).toBeGreaterThan(0);
      for (const e of report.expectations)
        expect(e, `${e.metric} ${e.op} ${e.value}`).toMatchObject({ pass: true });
    });
  }

  it('cache-aware ranks the models by hit rate: C most, B least', async () => {
    const { report } = await runScenario(fromFile('cache-aware.yaml'));
    const { A, B, C } = report.models;
    expect(C.attempts).toBeGreaterThan(A.attempts);
    expect(A.attempts).toBeGreaterThan(B.attempts);
  });

  it('health filtering: B and D get nothing, A and C within binomial bounds of an even split', async () => {
    const { report } = await runScenario(fromFile('health-filtering.yaml'));
    expect(report.models.B.attempts).toBe(0);
    expect(report.models.D.attempts).toBe(0);
    // 200 decisions: 3 sigma of a fair coin is 3 * sqrt(200 * 0.25) ≈ 21.
    expect(Math.abs(report.models.A.attempts - 100)).toBeLessThanOrEqual(21);
  });
});

describe('routesim run: the command', () => {
  it('exits 0 and writes report.json, run.json and summary.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-run-'));
    const c = captureIo();
    const code = await main(['run', join(SCENARIOS, 'health-filtering.yaml'), '--out', dir], c.io);
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'charts',
      'report.html',
      'report.json',
      'run.json',
      'summary.md',
    ]);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.requests.total).toBe(200);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('Request Router Status');
    // summary.md embeds every PNG that was drawn, and each one exists.
    const pngs = [...summary.matchAll(/!\[[^\]]*\]\((charts\/[a-z0-9-]+\.png)\)/g)].map((m) => m[1]);
    expect(pngs).toContain('charts/share.png');
    for (const p of pngs) expect(readFileSync(join(dir, p)).subarray(1, 4).toString()).toBe('PNG');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).requests).toBe(200);
    expect(c.out.join('')).toContain('pass models.B.attempts == 0');
  });

  it('applies --strategy and --seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-run-'));
    const code = await main(
      [
        'run',
        join(SCENARIOS, 'health-filtering.yaml'),
        '--out',
        dir,
        '--strategy',
        'round_robin',
        '--seed',
        '99',
        '--quiet',
      ],
      captureIo().io,
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.strategy).toBe('round_robin');
    expect(report.seed).toBe(99);
    // Round robin over the two eligible models is exactly even.
    expect(report.models.A.attempts).toBe(100);
  });

  it('exits 1 when an expectation fails, with the report still written in full', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-run-'));
    const file = join(dir, 'strict.yaml');
    const text = readFileSync(join(SCENARIOS, 'health-filtering.yaml'), 'utf8').replace(
      'expect:',
      'expect:\n  - { metric: latency.e2e_ms.p99, "<": 1 }',
    );
    writeFileSync(file, text);
    const c = captureIo();
    const code = await main(['run', file, '--out', join(dir, 'out')], c.io);
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(report.expectations.filter((e) => !e.pass).map((e) => e.metric)).toEqual(['latency.e2e_ms.p99']);
    expect(report.requests.total).toBe(200);
    expect(c.out.join('')).toContain('FAIL latency.e2e_ms.p99 < 1');
  });

  it('exits 2 on invalid input with file:line:column and no stack trace, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-run-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'models:\n  - id: A\n    max_concurency: 4\ntraffic: { requests: 10 }\n');
    const c = captureIo();
    const code = await main(['run', file, '--out', join(dir, 'out')], c.io);
    expect(code).toBe(2);
    const err = c.err.join('');
    expect(err).toContain(`${file}:3:5`);
    expect(err).toContain('max_concurrency');
    expect(err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(await main(['run', join(dir, 'missing.yaml')], c.io)).toBe(2);
    expect(await main(['run', file, '--seed', '1.5'], c.io)).toBe(2);
  });
});
