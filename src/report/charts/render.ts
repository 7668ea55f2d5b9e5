/**
 * Headless rendering: vega-lite spec -> vega -> SVG string (renderer 'none', no DOM, no canvas) -> PNG via
 * resvg with the system fonts loaded, so text renders. Output is deterministic for the same spec (SVG
 * definition ids are reset before each render).
 */
import { join } from 'node:path';
import { Resvg, type ResvgRenderOptions, renderAsync } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../../core/output/atomic-file.js';
import { ensureDir } from '../../core/output/paths.js';
import type { ChartSpec, VlSpec } from './style.js';
import { loadVega } from './vega-bundles.js';

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
  const { vega, vegaLite } = await loadVega();
  const vgSpec = vegaLite.compile(spec as unknown as TopLevelSpec).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const PNG_OPTIONS: ResvgRenderOptions = {
  background: 'white',
  fitTo: { mode: 'zoom', value: PNG_ZOOM },
  font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
};

/** Rasterises an SVG with resvg (system fonts loaded so that text renders; white background). */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, PNG_OPTIONS).render().asPng();
}

/** Renders `charts` in memory, in order; `png: false` skips rasterising (report.html needs SVG only). */
export async function renderChartSet(
  charts: ChartSpec[],
  opts: { png?: boolean } = {},
): Promise<RenderedChart[]> {
  // Each PNG is rasterised on libuv's thread pool (the same resvg as svgToPng) while this thread lays out
  // the next chart's SVG: on two cores that hides most of the rasterising.
  const out: { chart: RenderedChart; png?: Promise<Buffer> }[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    const png = opts.png === false ? undefined : renderAsync(svg, PNG_OPTIONS).then((img) => img.asPng());
    png?.catch(() => {}); // seen by Promise.all below; not an unhandled rejection while the next SVG renders
    out.push({ chart: { ...c, svg }, png });
  }
  return Promise.all(out.map(async ({ chart, png }) => (png ? { ...chart, png: await png } : chart)));
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
