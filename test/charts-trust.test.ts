/**
 * Charts a reader can trust: the data is drawn over event and detection rules (the tallest error bar sits
 * at the fault), y axes leave headroom over the peak, CDF axes span the data rather than whole decades,
 * and a run with 1,000 models renders (the 10 busiest drawn, the rest folded into "other") instead of
 * overflowing vega's expression parser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdfDomain } from '../src/report/charts/cdf.js';
import { failuresChart } from '../src/report/charts/failures.js';
import { reportCharts } from '../src/report/charts/index.js';
import { latencyCdfChart } from '../src/report/charts/latency-cdf.js';
import { loadChart } from '../src/report/charts/load.js';
import { renderChartSet } from '../src/report/charts/render.js';
import { MAX_MODEL_SERIES } from '../src/report/charts/series.js';
import { shareChart } from '../src/report/charts/share.js';
import type { VlSpec } from '../src/report/charts/style.js';
import { renderHtml } from '../src/report/html.js';
import type { Report } from '../src/report/types.js';

const sample: Report = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/report-sample.json'), 'utf8'),
);

type Layer = { mark: { type: string } | string; data?: { values: Record<string, number | string>[] } };
const markOf = (l: Layer) => (typeof l.mark === 'string' ? l.mark : l.mark.type);

describe('layer order', () => {
  it('draws failure bars over the event and detection rules, labels last', () => {
    const spec = failuresChart(sample)!.spec as { vconcat: { layer: Layer[] }[] };
    for (const panel of spec.vconcat) {
      const marks = panel.layer.map(markOf);
      const bar = marks.indexOf('bar');
      expect(bar).toBeGreaterThan(0);
      // Every rule and band comes before the bars, every text after.
      marks.forEach((m, i) => {
        if (m === 'rule' || m === 'rect') expect(i).toBeLessThan(bar);
        if (m === 'text') expect(i).toBeGreaterThan(bar);
      });
    }
  });

  it('draws the load lines over the event rules', () => {
    const spec = loadChart(sample)!.spec as { vconcat: { layer: Layer[] }[] };
    const marks = spec.vconcat[0].layer.map(markOf);
    expect(marks).toEqual(['rule', 'line', 'text']);
  });
});

describe('y headroom', () => {
  it('gives the load panel a domain above its highest value', () => {
    const spec = loadChart(sample)!.spec as {
      vconcat: { layer: (Layer & { encoding?: { y: { scale: { domain: number[] } } } })[] }[];
    };
    const line = spec.vconcat[0].layer.find((l) => markOf(l) === 'line')!;
    const peak = Math.max(...line.data!.values.map((d) => Number(d.v)));
    expect(peak).toBeGreaterThan(0);
    expect(line.encoding!.y.scale.domain[0]).toBe(0);
    expect(line.encoding!.y.scale.domain[1]).toBeCloseTo(peak * 1.08, 9);
  });
});

describe('CDF domain', () => {
  it('spans the data padded in log space, not whole decades', () => {
    const [lo, hi] = cdfDomain([{ ms: 1100 }, { ms: 1800 }, { ms: 1204 }])!;
    // (1800/1100)^0.04 is under 1.05, so the 5% floor applies.
    expect(lo).toBeCloseTo(1100 / 1.05, 9);
    expect(hi).toBeCloseTo(1800 * 1.05, 9);
    // A wide spread pads by 4% of its log span: 10..100000 -> factor 10^(4*0.04).
    const [a, b] = cdfDomain([{ ms: 10 }, { ms: 100_000 }])!;
    expect(a).toBeCloseTo(10 / 10 ** 0.16, 9);
    expect(b).toBeCloseTo(100_000 * 10 ** 0.16, 6);
    expect(cdfDomain([])).toBeNull();
  });

  it('is what the latency CDF chart uses, from the report quantiles', () => {
    const spec = latencyCdfChart(sample)!.spec as { hconcat: { encoding: { x: { scale: VlSpec } } }[] };
    // Quantile 0 (the minimum) is not drawn (cdf.ts), so the domain starts at the 1st percentile.
    const e2e = Object.values(sample.cdf.e2e_ms).flatMap((q) => q.slice(1).filter((v) => v > 0));
    const scale = spec.hconcat[1].encoding.x.scale as { domain: number[]; nice: boolean };
    expect(scale.nice).toBe(false);
    expect(scale.domain[0]).toBeLessThan(Math.min(...e2e));
    expect(scale.domain[0]).toBeGreaterThan(Math.min(...e2e) / 1.5);
    expect(scale.domain[1]).toBeGreaterThan(Math.max(...e2e));
    expect(scale.domain[1]).toBeLessThan(Math.max(...e2e) * 1.5);
  });
});

/** The sample report with `n` models: model i copies one of the sample's, with i attempts (so the busiest are the last ids). */
function manyModels(n: number): Report {
  const r = structuredClone(sample);
  const base = Object.values(sample.models);
  const names = Object.keys(sample.models);
  const models: Report['models'] = {};
  const tl = r.timeline;
  const series = { in_flight: {}, queued: {}, routed: {}, health: {} } as Record<
    string,
    Record<string, number[]>
  >;
  const total = (n * (n + 1)) / 2;
  for (let i = 1; i <= n; i++) {
    const id = `m${i}`;
    const from = names[i % names.length];
    models[id] = {
      ...structuredClone(base[i % base.length]),
      attempts: i,
      share: i / total,
      health_changes: [],
    };
    for (const k of Object.keys(series))
      series[k][id] = (tl as unknown as Record<string, Record<string, number[]>>)[k][from];
  }
  r.models = models;
  Object.assign(tl, series, { quota_used: {}, cache_hit_rate: {} });
  r.cdf.ttft_ms = Object.fromEntries(
    Object.keys(models).map((id, i) => [id, sample.cdf.ttft_ms[names[(i + 1) % names.length]]]),
  );
  r.cdf.e2e_ms = Object.fromEntries(
    Object.keys(models).map((id, i) => [id, sample.cdf.e2e_ms[names[(i + 1) % names.length]]]),
  );
  return r;
}

describe('1,000 models', () => {
  const big = manyModels(1000);

  it('draws the 10 busiest models plus "other", whose values add up', () => {
    const share = shareChart(big)!.spec as { data: { values: { model: string; share: number }[] } };
    const bars = share.data.values;
    expect(bars.length).toBe(MAX_MODEL_SERIES + 1);
    expect(bars.slice(0, 10).map((b) => b.model)).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${991 + i}`),
    );
    expect(bars[10].model).toBe('other (990 models)');
    expect(bars.reduce((s, b) => s + b.share, 0)).toBeCloseTo(1, 9);
    expect(bars[10].share).toBeCloseTo((990 * 991) / 2 / ((1000 * 1001) / 2), 9);

    const load = loadChart(big)!.spec as { vconcat: { layer: Layer[] }[] };
    const pts = load.vconcat[0].layer.find((l) => markOf(l) === 'line')!.data!.values;
    expect(new Set(pts.map((p) => p.model)).size).toBe(MAX_MODEL_SERIES + 1);
    // "other" in bucket 0 is the sum of the 990 folded models' in-flight values there.
    const t0 = pts.find((p) => p.model === 'other (990 models)' && p.t === 0)!;
    let sum = 0;
    for (let i = 1; i <= 990; i++) sum += big.timeline.in_flight[`m${i}`][0];
    expect(t0.v).toBeCloseTo(sum, 6);
  });

  it('renders every chart (no vega stack overflow) and report.html', async () => {
    const rendered = await renderChartSet(reportCharts(big), { png: false });
    expect(rendered.map((c) => c.name)).toEqual(['share', 'load', 'latency-cdf', 'failures', 'affinity']);
    for (const c of rendered) expect(c.svg.length).toBeGreaterThan(1000);
    expect(rendered[0].svg).toContain('other (990 models)');
    const html = renderHtml(big, rendered);
    expect((html.match(/<tr><td><span class="id"><span class="sw"/g) ?? []).length).toBe(1000);
  }, 60_000);
});

describe('event labels', () => {
  type Text = { mark: { type: string }; data: { values: { t: number; label: string; ypx: number }[] } };
  const labelsOf = (panel: { layer: Layer[] }) =>
    (panel.layer as unknown as Text[])
      .filter((l) => l.mark.type === 'text')
      .flatMap((l) => l.data.values)
      .filter((v) => v.label !== '');

  it('leaves out a label that would overprint another on its row, and says how many (a flap was a smear)', () => {
    // 24 events 5 s apart over 300 s, as in scenarios/flap-ejection.yaml: at 640 px, 5 s is ~10 px.
    const events = Array.from({ length: 24 }, (_, i) => ({
      at_ms: 60_000 + 5_000 * i,
      label: `${i % 2 ? 'b' : 'a'}: flap ${i % 4 < 2 ? 'down' : 'up'}`,
    }));
    const r: Report = { ...sample, timeline: { ...sample.timeline, events } };
    const spec = loadChart(r)!.spec as { vconcat: { layer: Layer[] }[]; title: { subtitle: string[] } };
    const kept = labelsOf(spec.vconcat[0]);
    expect(kept.length).toBeGreaterThan(3);
    expect(kept.length).toBeLessThan(24);
    // On each row, every kept label starts after the previous one ends (its text at ~6.1 px a character).
    const span = 660; // the x axis: the timeline's 600 s, rounded up
    for (const row of new Set(kept.map((k) => k.ypx))) {
      const xs = kept.filter((k) => k.ypx === row).sort((a, b) => a.t - b.t);
      for (let i = 1; i < xs.length; i++)
        expect((xs[i].t / span) * 640).toBeGreaterThan(
          (xs[i - 1].t / span) * 640 + xs[i - 1].label.length * 6.1,
        );
    }
    expect(spec.title.subtitle).toContain(`Labels left out where crowded: ${24 - kept.length} events.`);
  });

  it('keeps every label of events far apart, and adds no note', () => {
    const spec = loadChart(sample)!.spec as { vconcat: { layer: Layer[] }[]; title: { subtitle: string[] } };
    expect(labelsOf(spec.vconcat[0]).map((l) => l.label)).toEqual(sample.timeline.events.map((e) => e.label));
    expect(spec.title.subtitle.join(' ')).not.toContain('crowded');
  });
});
