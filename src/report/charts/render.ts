/**
 * Headless rendering: vega-lite spec -> vega -> SVG string (renderer 'none', no DOM, no canvas) -> PNG via
 * resvg with the system fonts loaded, so text renders. Output is deterministic for the same spec (SVG
 * definition ids are reset before each render).
 */
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../../core/output/atomic-file.js';
import { ensureDir } from '../../core/output/paths.js';
import type { ChartSpec, VlSpec } from './style.js';

/** A chart rendered in memory. */
export interface RenderedChart {
  name: string;
  title: string;
  spec: VlSpec;
  svg: string;
  /** Absent when rendered with { png: false }. */
  png?: Buffer;
}

/** A chart written to disk: paths of its three files. */
export interface WrittenChart {
  name: string;
  title: string;
  /** Paths relative to the report directory, e.g. `charts/share.png`. */
  vl: string;
  svg: string;
  png: string;
}

/** PNGs are drawn at twice the SVG's size so they stay sharp in a pull-request comment. */
const PNG_ZOOM = 2;

/** Compiles and renders one vega-lite spec to SVG. Throws when the spec does not compile (a bug, not input). */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const vgSpec = compile(spec as unknown as TopLevelSpec).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Rasterises an SVG with resvg (system fonts loaded so that text renders; white background). */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
}

/** Renders `charts` in memory, in order; `png: false` skips rasterising (report.html needs SVG only). */
export async function renderChartSet(
  charts: ChartSpec[],
  opts: { png?: boolean } = {},
): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    out.push({ ...c, svg, ...(opts.png === false ? {} : { png: svgToPng(svg) }) });
  }
  return out;
}

/**
 * Writes `<dir>/charts/<name>.vl.json|.svg|.png` for each chart (all drawn first, each file atomic); returns them in reading order along with
 * the rendered SVGs (for report.html). Charts without data are skipped, not drawn empty.
 */
export async function writeCharts(
  charts: ChartSpec[],
  dir: string,
): Promise<{ written: WrittenChart[]; rendered: RenderedChart[] }> {
  const rendered = await renderChartSet(charts);
  ensureDir(join(dir, 'charts'));
  const written: WrittenChart[] = [];
  for (const c of rendered) {
    const rel = (ext: string) => `charts/${c.name}.${ext}`;
    writeFileAtomic(join(dir, rel('vl.json')), `${JSON.stringify(c.spec, null, 2)}\n`);
    writeFileAtomic(join(dir, rel('svg')), c.svg);
    writeFileAtomic(join(dir, rel('png')), c.png!);
    written.push({ name: c.name, title: c.title, vl: rel('vl.json'), svg: rel('svg'), png: rel('png') });
  }
  return { written, rendered };
}
