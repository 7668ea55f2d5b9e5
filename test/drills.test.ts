/**
 * Drill scores (report.json `drills`) on scenarios whose numbers can be worked out by hand: constant
 * arrivals every 250 ms, a constant 100 ms service time, round robin over a and b (a takes the even
 * arrivals, b the odd ones), b unhealthy at 11 s, no retries, no outlier detection. Probes every 2.025 s
 * (off the 250 ms grid, so no arrival ties with a probe) fail at 12.15 s and 14.175 s: two in a row mark
 * b unhealthy at 14.175 s, 3.175 s after the fault. Until then b's arrivals at 11.25, 11.75, ..., 13.75 s
 * fail (6 requests); the first 10 s window of arrivals without one starts at 14 s. b is repaired at 20 s
 * (the fault's end: every window up to it must be clean too).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/experiments/run-scenario.js';
import { RECOVERED_COLOUR } from '../src/report/charts/drills.js';
import { failuresChart } from '../src/report/charts/failures.js';
import { loadChart } from '../src/report/charts/load.js';
import { renderHtml } from '../src/report/html.js';
import { renderSummary } from '../src/report/summary.js';
import type { Report } from '../src/report/types.js';
import { loadScenario } from '../src/scenario/load.js';
import { runCli } from './testkit.js';

const scenario = (probeInterval: string, repair = true) => `
name: drill-hand
seed: 1
duration: 40s
router:
  strategy: round_robin
  max_retries: 0
  probes: { interval: ${probeInterval}, unhealthy_after: 2, healthy_after: 1 }
  outlier_detection: { consecutive_failures: 0 }
models:
  - { id: a, max_concurrency: 8, latency: { service: 100ms } }
  - { id: b, max_concurrency: 8, latency: { service: 100ms } }
traffic:
  arrivals: { process: constant, rate: 4/s }
  prompt_tokens: 100
  output_tokens: 10
events:
  - { at: 11s, model: b, health: unhealthy }
${repair ? '  - { at: 20s, model: b, health: healthy }\n' : ''}`;

async function run(text: string): Promise<Report> {
  const r = loadScenario(text, 'drill.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return (await runScenario(r.scenario)).report;
}

describe('drills', () => {
  it('scores a probe-detected fault exactly', async () => {
    const r = await run(scenario('2025ms'));
    expect(r.requests.failed).toBe(6);
    expect(r.models.b.failed_attempts).toBe(6);
    expect(r.drills).toHaveLength(1);
    const d = r.drills![0];
    expect(d.event).toBe('unhealthy');
    expect(d.model).toBe('b');
    expect(d.at_s).toBe(11);
    expect(d.detected_after_s).toBe(3.175);
    expect(d.recovered_after_s).toBe(3);
    expect(d.lost_requests).toBe(6);
    // No retries: one attempt per request. The drill runs from 11 s to the end of the recovery window
    // (24 s): 52 arrivals, of which b took the 6 odd ones before it was marked unhealthy and, back from
    // the probe at 20.25 s, 8 of the 15 from 20.25 s to 23.75 s: a took the other 38.
    expect(d.retry_amplification).toBe(1);
    expect(d.max_share).toBe(Number((38 / 52).toFixed(6)));
    expect(d.p99_e2e_ms).toEqual({ before: 100, during: 100, after: 100 });
    // No model has a cache: nothing to say about hit rates.
    expect(d.cache_hit_rate).toEqual({ before: null, min: null, after: null });
  });

  it('a fault the router never notices never recovers', async () => {
    const r = await run(scenario('10m', false));
    const d = r.drills![0];
    expect(d.detected_after_s).toBeNull();
    expect(d.recovered_after_s).toBeNull();
    // b fails every other request from 11 s to the end (40 s): 58 of them, all lost in the drill.
    expect(r.requests.failed).toBe(58);
    expect(d.lost_requests).toBe(58);
    expect(d.p99_e2e_ms.after).toBeNull();
  });

  it('retries amplify the load by the share of attempts that failed', async () => {
    const r = await run(scenario('2025ms').replace('max_retries: 0', 'max_retries: 1'));
    const d = r.drills![0];
    expect(r.requests.failed).toBe(0);
    expect(r.routing.retries).toBe(r.models.b.failed_attempts);
    expect(r.routing.retries).toBeGreaterThan(0);
    // The drill ends with its recovery window (10 s after the recovery).
    expect(d.recovered_after_s).not.toBeNull();
    const end = 11 + d.recovered_after_s! + 10;
    const arrivals = r.timeline.arrivals.slice(11, end).reduce((a, b) => a + b, 0);
    expect(d.retry_amplification).toBe(Number(((arrivals + r.routing.retries) / arrivals).toFixed(6)));
    expect(d.lost_requests).toBe(0);
  });

  it('is absent without fault events, and byte-identical per seed with them', async () => {
    const calm = await run(scenario('2025ms').replace('health: unhealthy', 'latency_factor: 2'));
    expect(calm.drills).toBeUndefined();
    expect('drills' in calm).toBe(false);
    const a = JSON.stringify(await run(scenario('2025ms')));
    const b = JSON.stringify(await run(scenario('2025ms')));
    expect(a).toBe(b);
  });
});

describe('expect: on drills', () => {
  it('asserts on drill figures (null reads as a failed expectation)', async () => {
    const r = await run(
      `${scenario('2025ms')}expect:
  - { metric: drills.0.detected_after_s, "==": 3.175 }
  - { metric: drills.0.recovered_after_s, "<": 60 }
  - { metric: drills.0.p99_e2e_ms.during, "<=": 100 }
  - { metric: drills.0.cache_hit_rate.min, ">=": 0 }
`,
    );
    expect(r.expectations.map((e) => [e.metric, e.actual, e.pass])).toEqual([
      ['drills.0.detected_after_s', 3.175, true],
      ['drills.0.recovered_after_s', 3, true],
      ['drills.0.p99_e2e_ms.during', 100, true],
      ['drills.0.cache_hit_rate.min', null, false],
    ]);
  });

  it('a bad drill index or name is an input error at its position, exit 2', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'drills-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `${scenario('2025ms')}expect:
  - { metric: drills.1.recovered_after_s, "<": 60 }
  - { metric: drills.0.recoverd_after_s, "<": 60 }
  - { metric: drills.x.at_s, "<": 60 }
`,
    );
    const res = await runCli(['validate', file]);
    expect(res.code).toBe(2);
    expect(res.err).toContain('bad.yaml:21:15');
    expect(res.err).toContain('no drill 1; this scenario has 1 fault event: drills.0, in time order');
    expect(res.err).toContain('did you mean `drills.0.recovered_after_s`?');
    expect(res.err).toContain('needs a drill index');
    expect(res.err).not.toContain('    at ');
    const none = join(dir, 'none.yaml');
    writeFileSync(
      none,
      `${scenario('2025ms').replace('health: unhealthy', 'latency_factor: 2')}expect:
  - { metric: drills.0.recovered_after_s, "<": 60 }
`,
    );
    const res2 = await runCli(['validate', none]);
    expect(res2.code).toBe(2);
    expect(res2.err).toContain('this scenario has no fault events');
  });
});

describe('drill table and chart marks', () => {
  it('summary.md has one drill row; the charts mark the recovery under the data', async () => {
    const r = await run(scenario('2025ms'));
    const md = renderSummary(r);
    expect(md).toContain('## Drills');
    const html = renderHtml(r);
    expect(html).toContain('<h2>Drills</h2>');
    expect(html).toContain('<td>unhealthy</td>');
    expect(md).toContain(
      '| 0 | unhealthy | b | 11 | 3.175 | 3 | 6 | 1 | 73.1% | — / — / — | 100 / 100 / 100 |',
    );
    type Layer = { mark: { type: string; color?: string }; data?: { values: { t: number }[] } };
    for (const chart of [failuresChart(r)!, loadChart(r)!]) {
      const panel = (chart.spec as { vconcat: { layer: Layer[] }[] }).vconcat[0];
      const rec = panel.layer.findIndex((l) => l.mark.type === 'rule' && l.mark.color === RECOVERED_COLOUR);
      expect(rec).toBeGreaterThanOrEqual(0);
      expect(panel.layer[rec].data!.values.map((v) => v.t)).toEqual([14]);
      const data = panel.layer.findIndex((l) => l.mark.type === 'bar' || l.mark.type === 'line');
      expect(rec).toBeLessThan(data);
    }
    // The detection is a health change: marked once, by the failures chart's own detection rule.
    const texts = JSON.stringify(failuresChart(r)!.spec);
    expect(texts).toContain('b unhealthy: recovered after 3 s');
    expect(texts).not.toContain('detected after');
    // The load chart draws the recovery rule without a label: its subtitle says what the dotted line is.
    const load = (loadChart(r)!.spec as { title: { subtitle: string[] } }).title.subtitle;
    expect(load).toContain('Dotted lines: a drill detected (green), recovered (blue).');
  });
});

describe("the README's drills", () => {
  it('lists the keys of a drill, as the report writes them', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const line = readme.slice(
      readme.indexOf('drills:   [ {'),
      readme.indexOf('} ]', readme.indexOf('drills:   [ {')),
    );
    const keys = line
      .slice(line.indexOf('{') + 1)
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    const r = await run(scenario('2025ms'));
    expect(keys).toEqual(Object.keys(r.drills![0]));
  });
});

describe('the cache-miss dip', () => {
  it('takes the cached-token share of the prompts sent: before, the lowest window, after', async () => {
    const text = `
name: drill-cache
seed: 2
duration: 90s
router: { strategy: prefix_aware, probes: { interval: 1s, unhealthy_after: 1 } }
models:
  - &m { id: a, max_concurrency: 16, latency: { prefill_per_token: 0.05ms, decode_step: 10ms, slowdown: 0.02 }, cache: { capacity_tokens: 200000, block_tokens: 64 } }
  - { <<: *m, id: b }
traffic:
  arrivals: { process: poisson, rate: 8/s }
  sessions: { count: 40, turns: 6, think_time: 2s }
  prompt_tokens: 2000
  output_tokens: 20
events:
  - { at: 40s, model: a, health: unhealthy }
  - { at: 60s, model: a, health: healthy }
`;
    const r = await run(text);
    const d = r.drills![0];
    const c = d.cache_hit_rate;
    expect(c.before).not.toBeNull();
    expect(c.min).not.toBeNull();
    expect(c.min!).toBeLessThan(c.before!);
    expect(c.before!).toBeLessThanOrEqual(1);
  });
});

describe('drills of the fault kinds', () => {
  it('a crash scores like the health fault it is, and lasts to its restart', async () => {
    const r = await run(
      scenario('2025ms', false).replace('health: unhealthy', 'crash: { restart_after: 5s }'),
    );
    const d = r.drills![0];
    expect([d.event, d.model, d.at_s]).toEqual(['crash', 'b', 11]);
    // b refuses its arrivals from 11 s until the probes mark it down at 14.175 s, as above.
    expect(d.detected_after_s).toBe(3.175);
    expect(d.recovered_after_s).toBe(3);
    expect(d.lost_requests).toBe(6);
    expect(r.requests.failed).toBe(6);
  });

  it('a hang without a timeout: the requests sent to it count against the window they arrived in', async () => {
    const r = await run(scenario('2025ms', false).replace('health: unhealthy', 'hang: 5s'));
    const d = r.drills![0];
    expect(d.event).toBe('hang');
    expect(d.detected_after_s).toBe(3.175);
    expect(r.requests.failed).toBe(0);
    // b's arrivals from 11 s stall until 16 s: the worst waited 5 s on top of its 100 ms.
    expect(d.p99_e2e_ms.before).toBe(100);
    expect(d.p99_e2e_ms.during!).toBeGreaterThan(4000);
    expect(d.recovered_after_s).toBe(3);
  });
});

describe('compare with drills', () => {
  it('compares and ranks by drill figures when the scenario has fault events', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'drills-compare-'));
    const file = join(dir, 'cmp.yaml');
    writeFileSync(
      file,
      `${scenario('2025ms')}variants:
  - { name: slow-probes, overrides: { router.probes.interval: 2025ms } }
  - { name: fast-probes, overrides: { router.probes.interval: 1025ms } }
`,
    );
    const out = join(dir, 'out');
    const res = await runCli([
      'compare',
      file,
      '--replications',
      '2',
      '--rank-by',
      'drills.0.lost_requests',
      '--out',
      out,
    ]);
    expect(res.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    const text = JSON.stringify(json);
    expect(text).toContain('drills.0.detected_after_s');
    expect(text).not.toContain('drills.0.recovered_after_s');
    // Probes every 1.025 s fail at 11.275 and 12.3 s: b is marked down at 12.3 s, 1.3 s after the fault.
    expect(json.results['fast-probes']['drills.0.detected_after_s'].mean).toBe(1.3);
    expect(json.results['slow-probes']['drills.0.detected_after_s'].mean).toBe(3.175);
    expect(json.ranking.map((r: { variant: string }) => r.variant)).toEqual(['fast-probes', 'slow-probes']);
  });
});
