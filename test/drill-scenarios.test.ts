/**
 * The drill scenarios tell their stories at their own seed: each side of the comparison their comment
 * describes (the variants `compare` runs) gives the drill figures that story rests on. The bounds on one
 * side are the scenario's own `expect:` (chosen over seeds 1-20, see each file); these tests pin the
 * contrast between the two sides.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import type { Drill, Report } from '../src/report/types.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const DIR = join(import.meta.dirname, '..', 'scenarios');

async function run(file: string, overrides: Record<string, unknown> = {}): Promise<Report> {
  const r = loadScenarioFile(join(DIR, file), { overrides });
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return (await runScenario(r.scenario)).report;
}

const drill = (r: Report, n = 0): Drill => r.drills![n];
const allPass = (r: Report) => r.expectations.filter((e) => !e.pass).map((e) => e.metric);

describe('drill scenarios', () => {
  it('hang-timeout: the timeout detects the hang sooner and cuts the drill p99 several-fold', async () => {
    const on = await run('hang-timeout.yaml');
    const off = await run('hang-timeout.yaml', { 'router.request_timeout': '0s' });
    expect(allPass(on)).toEqual([]);
    expect(drill(off).detected_after_s).toBe(10); // probes every 5 s, 3 in a row, from the hang at 60 s
    expect(drill(on).detected_after_s!).toBeLessThan(drill(off).detected_after_s!);
    expect(drill(off).p99_e2e_ms.during!).toBeGreaterThan(40_000); // waited out most of the 45 s
    expect(drill(on).p99_e2e_ms.during! * 4).toBeLessThan(drill(off).p99_e2e_ms.during!);
    expect(off.requests.timed_out).toBe(0);
    expect(on.requests.timed_out).toBeGreaterThan(0);
  });

  it('retry-storm: without a budget the drill never recovers and retries multiply the load', async () => {
    const on = await run('retry-storm.yaml');
    const off = await run('retry-storm.yaml', { 'router.retry_budget': null });
    expect(allPass(on)).toEqual([]);
    expect(drill(on).recovered_after_s).not.toBeNull();
    expect(drill(off).recovered_after_s).toBeNull();
    expect(drill(off).retry_amplification!).toBeGreaterThan(2);
    expect(drill(on).retry_amplification!).toBeLessThan(1.2);
    expect(drill(off).lost_requests).toBeGreaterThan(5 * drill(on).lost_requests);
  });

  it('flap-ejection: the ejection cap keeps capacity and loses requests to the flapping model', async () => {
    const cap = await run('flap-ejection.yaml');
    const all = await run('flap-ejection.yaml', { 'router.outlier_detection.max_ejection_percent': 100 });
    expect(allPass(cap)).toEqual([]);
    expect(cap.drills).toHaveLength(2);
    expect(drill(all).max_share!).toBeGreaterThan(0.55);
    expect(drill(cap).max_share!).toBeLessThan(0.45);
    expect(drill(cap).p99_e2e_ms.during! * 2).toBeLessThan(drill(all).p99_e2e_ms.during!);
    expect(drill(cap).lost_requests).toBeGreaterThan(drill(all).lost_requests);
  });

  it('crash-restart-prefix: no request is lost, the cached share dips, m1 restarts cold', async () => {
    const r = await run('crash-restart-prefix.yaml');
    expect(allPass(r)).toEqual([]);
    const d = drill(r);
    expect(d.event).toBe('crash');
    expect(r.faults?.[0]).toMatchObject({ kind: 'crash', model: 'm1', at_ms: 120_000, end_ms: 150_000 });
    expect(d.lost_requests).toBe(0);
    expect(d.cache_hit_rate.min!).toBeLessThan(d.cache_hit_rate.before! - 0.1);
    // m1 restarts with an empty cache at 150 s: the first of its attempts after that to finish hit nothing.
    expect(r.timeline.cache_hit_rate.m1.slice(150).find((v) => v !== null)).toBe(0);
  });
});
