/**
 * Charts of a report: every spec compiles and renders headless (SVG with its axis titles and every model
 * id, PNG with the right magic bytes), one colour per model across every chart, empty charts skipped,
 * and report.html self-contained.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, type TopLevelSpec } from 'vega-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { failuresChart } from '../src/report/charts/failures.js';
import { reportCharts } from '../src/report/charts/index.js';
import { type RenderedChart, renderChartSet, svgToPng } from '../src/report/charts/render.js';
import { MODEL_PALETTE } from '../src/report/charts/style.js';
import { rebin } from '../src/report/charts/timeseries.js';
import { chartsMarkdown, renderHtml, writeReportArtifacts } from '../src/report/html.js';
import type { Report } from '../src/report/types.js';

const sample: Report = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/report-sample.json'), 'utf8'),
);
const ids = Object.keys(sample.models);

/** Every object in a spec with a `scale.domain` listing model ids, with its range. */
function modelScales(spec: unknown): { domain: string[]; range: string[] }[] {
  const out: { domain: string[]; range: string[] }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const sc = o.scale as { domain?: unknown; range?: unknown } | undefined;
      if (o.field === 'model' && sc && Array.isArray(sc.domain))
        out.push({ domain: sc.domain as string[], range: sc.range as string[] });
      Object.values(o).forEach(walk);
    }
  };
  walk(spec);
  return out;
}

describe('report charts', () => {
  let rendered: RenderedChart[];
  beforeAll(async () => {
    rendered = await renderChartSet(reportCharts(sample), { png: false });
  });

  it('builds every chart for a report with quota, cache and affinity data', () => {
    expect(rendered.map((c) => c.name)).toEqual([
      'share',
      'load',
      'latency-cdf',
      'failures',
      'quota',
      'cache',
      'affinity',
    ]);
    for (const c of rendered) expect(() => compile(c.spec as unknown as TopLevelSpec)).not.toThrow();
  });

  it('draws text: titles, axis titles with units, and every model id', () => {
    const svg = Object.fromEntries(rendered.map((c) => [c.name, c.svg]));
    expect(svg.share).toContain('Share of attempts (%)');
    expect(svg.load).toContain('Simulated time (s)');
    expect(svg.load).toContain('In service (requests)');
    expect(svg.load).toContain('Queued (requests)');
    expect(svg['latency-cdf']).toContain('Time to first token (ms, log scale)');
    expect(svg['latency-cdf']).toContain('End-to-end latency (ms, log scale)');
    expect(svg.failures).toContain('Errors');
    expect(svg.failures).toContain('Rejections');
    expect(svg.quota).toContain('Quota window used (%)');
    expect(svg.cache).toContain('Cache hit rate (%)');
    expect(svg.affinity).toContain('Entries (sessions)');
    // What the series counts: the table's size, expired entries not yet removed included.
    expect(svg.affinity).toContain('an expired one stays until a follow-up finds it or a sweep removes it');
    for (const name of ['share', 'load', 'latency-cdf', 'cache']) {
      for (const id of ids) expect(svg[name], `${name} names ${id}`).toContain(id);
    }
    // The fault events are marked on the failures chart.
    for (const e of sample.timeline.events) expect(svg.failures).toContain(e.label);
  });

  it('keeps one colour per model across every chart', () => {
    const scales = rendered.flatMap((c) => modelScales(c.spec));
    expect(scales.length).toBeGreaterThanOrEqual(6);
    for (const s of scales) {
      expect(s.domain).toEqual(ids);
      expect(s.range).toEqual(MODEL_PALETTE.slice(0, ids.length));
    }
    // And the drawn marks use them: llama-70b's colour appears in the share and CDF SVGs.
    const svg = Object.fromEntries(rendered.map((c) => [c.name, c.svg]));
    for (const name of ['share', 'latency-cdf', 'load']) expect(svg[name]).toContain(MODEL_PALETTE[0]);
  });

  it('renders a PNG with text (resvg, system fonts)', () => {
    const share = rendered.find((c) => c.name === 'share')!;
    const png = svgToPng(share.svg);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // The same SVG without its text renders to a clearly different (smaller) image: text was drawn.
    const noText = svgToPng(share.svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''));
    expect(png.length).toBeGreaterThan(noText.length * 1.2);
  });

  it('skips charts without data instead of drawing them empty', () => {
    const bare: Report = structuredClone(sample);
    bare.timeline.quota_used = {};
    bare.timeline.affinity_entries = bare.timeline.affinity_entries.map(() => 0);
    for (const k of Object.keys(bare.timeline.cache_hit_rate))
      bare.timeline.cache_hit_rate[k] = bare.timeline.cache_hit_rate[k].map(() => null);
    expect(reportCharts(bare).map((c) => c.name)).toEqual(['share', 'load', 'latency-cdf', 'failures']);
  });

  it('long runs: buckets are summed into at most 150 bars that still span the whole run', () => {
    const long: Report = structuredClone(sample);
    const n = 4000;
    long.timeline.interval_ms = 1000;
    long.timeline.t_ms = Array.from({ length: n }, (_, i) => i * 1000);
    for (const k of ['errors', 'retries', 'fallbacks', 'rejections'] as const)
      long.timeline[k] = long.timeline.t_ms.map(() => 1);
    const spec = failuresChart(long)!.spec as {
      vconcat: {
        layer: { mark: { type: string }; data: { values: { t: number; t2: number; n: number }[] } }[];
      }[];
    };
    // The bars come after the event rules (drawn over them).
    const bars = spec.vconcat[0].layer.find((l) => l.mark.type === 'bar')!.data.values;
    expect(bars.length).toBe(Math.ceil(n / 27)); // 27 buckets per bar
    expect(bars[0]).toEqual({ t: 0, t2: 27, n: 27 });
    expect(bars.at(-1)!.t2).toBe(n);
    expect(bars.reduce((s, b) => s + b.n, 0)).toBe(n); // counts conserved
  });

  it('merges buckets by weighted mean, sum or last value', () => {
    expect(rebin([1, 2, null, null], 2, 'sum')).toEqual([3, null]);
    expect(rebin([1, 3, null, 5, 7], 2, 'mean')).toEqual([2, 5, 7]);
    expect(rebin([0.5, 1], 2, 'mean', [3, 1])).toEqual([0.625]);
    expect(rebin([1, 2, 3, null], 2, 'last')).toEqual([2, 3]);
  });

  it('report.html is self-contained: tables, router status, every chart inline, no network', () => {
    const html = renderHtml(sample, rendered);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Request Router Status');
    expect(html).toContain(sample.router_status.split('\n')[0]);
    for (const id of ids) expect(html).toContain(id);
    expect((html.match(/<svg /g) ?? []).length).toBe(rendered.length);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    // The failed expectation is shown as such.
    expect(html).toContain('1 failed');
    expect(
      chartsMarkdown([
        {
          name: 'share',
          title: 'Share',
          vl: 'charts/share.vl.json',
          svg: 'charts/share.svg',
          png: 'charts/share.png',
        },
      ]),
    ).toBe('![Share](charts/share.png)');
  });

  it('writeReportArtifacts writes <name>.vl.json, .svg, .png per chart and report.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-charts-'));
    try {
      const small: Report = structuredClone(sample);
      small.timeline.t_ms = []; // no timeline: only the share and latency charts remain (fast to draw)
      const { charts, html } = await writeReportArtifacts(small, dir);
      expect(charts.map((c) => c.name)).toEqual(['share', 'latency-cdf']);
      for (const c of charts) {
        for (const f of [c.vl, c.svg, c.png]) expect(existsSync(join(dir, f)), f).toBe(true);
        expect(JSON.parse(readFileSync(join(dir, c.vl), 'utf8')).$schema).toMatch(/vega-lite/);
        expect(readFileSync(join(dir, c.png)).subarray(1, 4).toString()).toBe('PNG');
      }
      expect(readFileSync(html, 'utf8')).toContain('id="chart-latency-cdf"');
      expect(chartsMarkdown(charts)).toBe(
        '![Share of attempts per model](charts/share.png)\n\n![Latency distribution per model (CDF)](charts/latency-cdf.png)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
