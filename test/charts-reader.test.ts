/**
 * What a reader found looking at every chart of every example scenario (issue 15, items 3 and 4): a drill
 * detection the load, cache and quota charts said they drew and did not; drill labels and expectation
 * actuals printed to other digits than the tables beside them; an empty failures panel for a run where
 * nothing failed; sub-decade CDF axes labelled over half their width; totals without separators; model
 * names wrapping in the HTML drill table; a blank band around the affinity plot.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { affinityChart } from '../src/report/charts/affinity.js';
import { cacheChart } from '../src/report/charts/cache.js';
import { cdfTicks } from '../src/report/charts/cdf.js';
import { RECOVERED_COLOUR } from '../src/report/charts/drills.js';
import { failuresChart } from '../src/report/charts/failures.js';
import { latencyCdfChart } from '../src/report/charts/latency-cdf.js';
import { loadChart } from '../src/report/charts/load.js';
import { renderSvg } from '../src/report/charts/render.js';
import { shareChart } from '../src/report/charts/share.js';
import { renderHtml } from '../src/report/html.js';
import { renderSummary } from '../src/report/summary.js';
import { drillsTable, expectationsTable, healthTable } from '../src/report/tables.js';
import type { Report } from '../src/report/types.js';
import { runCli, tempScenario } from './testkit.js';

const sample: Report = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/report-sample.json'), 'utf8'),
);

type Layer = {
  mark: { type: string; color?: string };
  data?: { values: { t: number; label?: string }[] };
  encoding?: Record<string, unknown>;
};
type Panels = { vconcat: { layer: Layer[] }[]; title: { subtitle: string[] } };

const DETECTED = '#16a085';

/**
 * The sample with two drills on qwen-72b: one detected at its health change (120 s + 1.5 s: the fixture's
 * qwen-72b unhealthy, noticed at 121.5 s), one at 300 s detected 0.569358 s later (no health change there).
 */
function withDrills(): Report {
  const r = structuredClone(sample);
  const drill = (at_s: number, detected: number, recovered: number) => ({
    event: 'unhealthy',
    model: 'qwen-72b',
    at_s,
    detected_after_s: detected,
    recovered_after_s: recovered,
    lost_requests: 0,
    retry_amplification: 1.02,
    max_share: 0.5,
    cache_hit_rate: { before: null, min: null, after: null },
    p99_e2e_ms: { before: 100, during: 200, after: 100 },
  });
  r.drills = [drill(120, 1.5, 33), drill(400, 0.569358, 52.345678)];
  return r;
}

/** The x values of the rules of `colour` in a panel. */
function rulesAt(panel: { layer: Layer[] }, colour: string): number[] {
  return panel.layer
    .filter((l) => l.mark.type === 'rule' && l.mark.color === colour)
    .flatMap((l) => l.data!.values.map((v) => v.t));
}

describe('drill marks', () => {
  it('the load chart draws every detection its subtitle promises, the one at a health change too', () => {
    const r = withDrills();
    const load = loadChart(r)!.spec as Panels;
    // Was [400.569358] only: the detection at 121.5 s was left to the failures chart's health-change line,
    // which the load chart does not draw.
    expect(rulesAt(load.vconcat[0], DETECTED)).toEqual([121.5, 400.569358]);
    expect(rulesAt(load.vconcat[0], RECOVERED_COLOUR)).toEqual([153, 452.345678]);
    expect(load.title.subtitle).toContain('Dotted lines: a drill detected (green), recovered (blue).');
  });

  it('the failures chart leaves the detection at a health change to its solid line, and says so', () => {
    const spec = failuresChart(withDrills())!.spec as Panels;
    const dotted = spec.vconcat[0].layer.filter(
      (l) => l.mark.type === 'rule' && l.mark.color === DETECTED && 'strokeDash' in l.mark,
    );
    expect(dotted.flatMap((l) => l.data!.values.map((v) => v.t))).toEqual([400.569358]);
    expect(spec.title.subtitle).toContain(
      'A drill detected at a noticed health change is marked by its solid line.',
    );
  });

  it('labels seconds as the drill table prints them, never the raw report.json value', () => {
    const r = withDrills();
    const text = JSON.stringify(failuresChart(r)!.spec);
    expect(text).toContain('qwen-72b unhealthy: detected after 0.569 s');
    expect(text).toContain('qwen-72b unhealthy: recovered after 52.35 s');
    expect(text).not.toContain('0.569358 s');
    expect(text).not.toContain('52.345678 s');
    const row = drillsTable(r)!.rows[1];
    expect(row.slice(4, 6)).toEqual(['0.569', '52.35']);
  });

  it('prints a health-change delay to the digits of the health table (2.539 s, not 2.54)', () => {
    const r = structuredClone(sample);
    r.models['qwen-72b'].health_changes = [
      { at_ms: 40_000, true_health: 'unhealthy', detected_at_ms: 42_538.932846, delay_ms: 2538.932846 },
    ];
    expect(JSON.stringify(failuresChart(r)!.spec)).toContain('qwen-72b unhealthy: noticed after 2.539 s');
    expect(healthTable(r)!.rows[0]).toEqual(['qwen-72b', 'unhealthy', '40', '42.54', '2,539']);
  });
});

describe('expectation actuals', () => {
  it('are printed to the precision of the metric unit, as the tables print the same figure', () => {
    const r = structuredClone(sample);
    r.expectations = [
      { metric: 'latency.e2e_ms.mean', op: '>=', value: 19, actual: 20.17931, pass: true },
      { metric: 'drills.0.detected_after_s', op: '<=', value: 4, actual: 2.538933, pass: true },
      { metric: 'models.qwen-72b.share', op: '<', value: 0.3, actual: 0.115987, pass: true },
    ];
    // Were 20.2 and 2.54 beside a latency table's 20.18 and a drill table's 2.539.
    expect(expectationsTable(r).rows.map((row) => row[3])).toEqual(['20.18', '2.539', '0.116']);
  });

  it('the CLI prints the actual as summary.md does', async () => {
    const { dir, file } = tempScenario(`name: precision
seed: 3
models:
  - { id: a, max_concurrency: 4, latency: { ttft: { dist: exponential, mean: 20ms }, tpot: 0ms } }
traffic: { arrivals: { process: poisson, rate: 20/s }, requests: 400, prompt_tokens: 10, output_tokens: 1 }
expect:
  - { metric: latency.e2e_ms.mean, ">": 1 }
`);
    const res = await runCli(['run', file, '--out', join(dir, 'out'), '--no-charts']);
    expect(res.code).toBe(0);
    const md = readFileSync(join(dir, 'out', 'summary.md'), 'utf8');
    const mean = md.match(/^\| end to end \| [\d,]+ \| ([^ ]+) \|/m)![1];
    expect(mean).toMatch(/^\d+\.\d\d$/); // 4 significant digits of a mean of tens of ms
    expect(res.out).toContain(`pass latency.e2e_ms.mean > 1 (actual ${mean})`);
    expect(md).toContain(`| pass | \`latency.e2e_ms.mean\` | > 1 | ${mean} |`);
  });
});

describe('the failures chart', () => {
  /** The sample with nothing failed, retried, fallen back or rejected. */
  function quiet(events: boolean): Report {
    const r = structuredClone(sample);
    for (const k of ['errors', 'retries', 'fallbacks', 'rejections'] as const)
      r.timeline[k] = r.timeline[k].map(() => 0);
    if (!events) r.timeline.events = [];
    for (const m of Object.values(r.models)) m.health_changes = [];
    return r;
  }

  it('is not drawn when nothing happened (it was one flat, empty Errors panel)', () => {
    expect(failuresChart(quiet(false))).toBeNull();
  });

  it('is drawn, one flat panel under the event lines, when events happened and nothing failed', () => {
    const spec = failuresChart(quiet(true))!.spec as Panels;
    expect(spec.vconcat.length).toBe(1);
    expect(rulesAt(spec.vconcat[0], '#555')).toEqual(sample.timeline.events.map((e) => e.at_ms / 1000));
  });

  it('totals with separators and singulars, and says the Errors bars are attempts', () => {
    const r = structuredClone(sample);
    r.routing.retries = 1;
    r.routing.fallbacks = 2441;
    r.models['qwen-72b'].refused_attempts = 1003;
    const failed = Object.values(r.models).reduce((n, m) => n + m.failed_attempts, 0);
    const refused = Object.values(r.models).reduce((n, m) => n + m.refused_attempts, 0);
    expect(refused).toBeGreaterThan(1000);
    const subtitle = (failuresChart(r)!.spec as Panels).title.subtitle;
    expect(subtitle).toContain('Totals: 1 retry, 2,441 fallbacks; requests 12 failed, 10 rejected.');
    expect(subtitle).toContain(
      `Errors: failed attempts, ${failed} in all (${refused.toLocaleString('en-US')} refused attempts not drawn).`,
    );
  });
});

describe('CDF axes under a decade', () => {
  it('get labelled ticks across the whole domain (330-2,000 ms was labelled 400 to 900 only)', () => {
    expect(cdfTicks([330, 2000], 330)).toEqual({ values: [500, 1000, 1500, 2000], domain: [330, 2000] });
    // Out to the tick just beyond an end when that adds little, so the ends are labelled.
    expect(cdfTicks([40.04, 157.4], 330)).toEqual({
      values: [50, 75, 100, 125, 150, 175],
      domain: [40.04, 175],
    });
    expect(cdfTicks([1150, 1800], 330)!.values).toEqual([1200, 1400, 1600, 1800]);
    // A decade or more keeps vega's ticks (powers of ten and their multiples).
    expect(cdfTicks([10, 100], 330)).toBeNull();
  });

  it('the latency CDF sets them on its axis, within the scale domain', () => {
    const r = structuredClone(sample);
    const q = r.cdf.quantiles;
    for (const id of Object.keys(r.models)) {
      r.cdf.e2e_ms[id] = q.map((x) => 350 + 1600 * x);
      r.cdf.ttft_ms[id] = q.map((x) => 30 + 500 * x); // over a decade: vega's own ticks
    }
    type Axis = { scale: { domain: number[] }; axis: { values?: number[] } };
    const [ttft, e2e] = (latencyCdfChart(r)!.spec as { hconcat: { encoding: { x: Axis } }[] }).hconcat.map(
      (p) => p.encoding.x,
    );
    expect(ttft.axis.values).toBeUndefined();
    const v = e2e.axis.values!;
    expect(v.length).toBeGreaterThanOrEqual(4);
    expect(v[0]).toBeGreaterThanOrEqual(e2e.scale.domain[0]);
    expect(v.at(-1)).toBeLessThanOrEqual(e2e.scale.domain[1]);
    expect(v.at(-1)).toBeGreaterThan(1500); // the upper half of the axis is labelled
  });
});

describe('report.html and the charts around it', () => {
  it('keeps a drill model name on one line', () => {
    const html = renderHtml(withDrills());
    const drills = html.slice(html.indexOf('<h2>Drills</h2>'), html.indexOf('<h2>Routing</h2>'));
    expect(drills).toContain('<td><span class="id">qwen-72b</span></td>');
  });

  it('prints the same wall-clock note as summary.md', () => {
    const note =
      'Wall-clock figures (run time, simulated requests per second, routing time per decision) are in run.json.';
    expect(renderHtml(sample)).toContain(note);
    expect(renderSummary(sample)).toContain(note);
  });

  it('the cache chart says what a hit is, and the share of tokens from cache', () => {
    const r = structuredClone(sample);
    r.cache = { hit_rate: 0.997714, token_hit_rate: 0.178222 };
    const subtitle = (cacheChart(r)!.spec as Panels).title.subtitle;
    expect(subtitle).toContain('A hit: the lookup found at least one cached token of the prompt.');
    expect(subtitle).toContain('Prompt tokens served from cache, all models: 17.8%.');
  });

  it('the affinity chart is not padded by an axis title longer than its plot', async () => {
    const heightOf = async (yTitle?: string) => {
      const spec = structuredClone(affinityChart(sample)!.spec) as {
        layer: { encoding: { y: { title: string } } }[];
      };
      if (yTitle !== undefined) spec.layer.find((l) => l.encoding?.y)!.encoding.y.title = yTitle;
      return Number((await renderSvg(spec)).match(/height="(\d+)"/)![1]);
    };
    const bare = await heightOf('y');
    expect(await heightOf()).toBe(bare);
    // The old title added blank bands above and below the 220 px plot.
    expect(await heightOf('Live affinity entries (sessions)')).toBeGreaterThan(bare + 20);
  });
});

describe('share and load layout', () => {
  type ShareSpec = {
    data: { values: { model: string; inside: boolean }[] };
    encoding: { x: { scale: { domain: number[] }; axis: { tickCount: number } } };
  };

  it('puts a bar label inside a bar too long to leave room for it (100.0% was drawn past the frame)', () => {
    const one = structuredClone(sample);
    const [first, ...rest] = Object.keys(one.models);
    one.models[first].share = 1;
    for (const id of rest) one.models[id].share = 0;
    const spec = shareChart(one)!.spec as unknown as ShareSpec;
    expect(spec.encoding.x.scale.domain).toEqual([0, 1]);
    expect(spec.data.values.map((v) => v.inside)).toEqual([true, false, false, false]);
    // With headroom under 100%, every label stays outside.
    const spread = shareChart(sample)!.spec as unknown as ShareSpec;
    expect(spread.encoding.x.scale.domain[1]).toBeLessThan(1);
    expect(spread.data.values.every((v) => !v.inside)).toBe(true);
    expect(spread.encoding.x.axis.tickCount).toBe(8);
  });

  it('labels the load chart time axis once, under the queued panel', () => {
    type Enc = { encoding: { x: { axis: { labels?: boolean; title?: string | null } } } };
    const spec = loadChart(sample)!.spec as { vconcat: { layer: (Layer & Partial<Enc>)[] }[] };
    const axis = (i: number) => spec.vconcat[i].layer.find((l) => l.mark.type === 'line')!.encoding!.x!.axis;
    expect(spec.vconcat.length).toBe(2);
    expect(axis(0)).toMatchObject({ labels: false, title: null });
    expect(axis(1).labels).toBeUndefined();
  });
});
