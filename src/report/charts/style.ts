/**
 * What every routesim chart shares: the font, the sizes, and ONE colour per model kept across every chart
 * of a report (a fixed scale domain = model ids in report order, a fixed palette), so that "llama-70b is
 * blue" holds from the share bar to the latency CDF.
 */
import type { Report } from '../types.js';

/** A vega-lite spec as plain JSON (compiled and checked by render.ts and the tests, not by the type system). */
export type VlSpec = Record<string, unknown>;

/** A chart of a report: `name` is the file stem (charts/<name>.svg), `title` what a reader sees. */
export interface ChartSpec {
  name: string;
  title: string;
  spec: VlSpec;
}

/** Builds one chart from a report; null when the report has no data for it (the chart is skipped, not drawn empty). */
export type ChartBuilder = (report: Report) => ChartSpec | null;

/** Font stack: DejaVu Sans ships with most Linux images (CI); resvg falls back along the list elsewhere. */
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** Tableau 10, then Tableau 20's light tones: distinct for up to 20 models, then it cycles. */
export const MODEL_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#a0cbe8',
  '#ffbe7d',
  '#8cd17d',
  '#b6992d',
  '#86bcb6',
  '#d37295',
  '#fabfd2',
  '#d4a6c8',
  '#79706e',
  '#499894',
];

export const CHART_WIDTH = 640;

/** A fixed colour for each of `names`, in order (the same names always get the same colours). */
export function colourRange(names: readonly string[]): string[] {
  return names.map((_, i) => MODEL_PALETTE[i % MODEL_PALETTE.length]);
}

/** The colour encoding for a field holding a model id (or variant name): fixed domain and range. */
export function modelColour(names: readonly string[], field = 'model', title = 'Model'): VlSpec {
  return {
    field,
    type: 'nominal',
    title,
    scale: { domain: [...names], range: colourRange(names) },
    sort: [...names],
    legend: { orient: 'right', labelLimit: 220 },
  };
}

/** Shared look: font, legible sizes, white background (PNG in a dark-mode PR comment stays readable). */
const CHART_CONFIG: VlSpec = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#ddd' },
  title: { fontSize: 15, fontWeight: 'bold', anchor: 'start', offset: 10 },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    gridColor: '#eee',
    labelLimit: 220,
  },
  legend: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', symbolStrokeWidth: 3 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  line: { strokeWidth: 2 },
};

/** Wraps a spec with the schema, the shared config and a title. */
export function topLevel(title: string, body: VlSpec, subtitle?: string | string[]): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: subtitle ? { text: title, subtitle } : title,
    config: CHART_CONFIG,
    ...body,
  };
}

/**
 * Time axis: simulated seconds (minutes for runs over two hours), so labels stay short. The span is how
 * long the run went on (`end_s`), not the horizon: a scenario without `duration:` has an infinite horizon,
 * and a 25 s run once got a minutes axis with a single "0.0" tick.
 */
export function timeScale(report: Report): { divisor: number; title: string } {
  const { end_s, horizon_s } = report.sim;
  const span = typeof end_s === 'number' && Number.isFinite(end_s) ? end_s : horizon_s;
  return typeof span === 'number' && span > 7200
    ? { divisor: 60_000, title: 'Simulated time (min)' }
    : { divisor: 1000, title: 'Simulated time (s)' };
}

/** The x encoding of every time-series chart (field `t`, already divided by timeScale().divisor). */
export function timeX(report: Report): VlSpec {
  return { field: 't', type: 'quantitative', title: timeScale(report).title, axis: { tickMinStep: 1 } };
}

/** Width of a label's character at fontSize 11 (DejaVu Sans averages ~6.1 px; a little more, to be safe). */
const LABEL_CHAR_PX = 6.6;
const LABEL_GAP_PX = 6;

/**
 * `items` (in time order, each on the row of its `ypx`) with the label blanked of each one that would
 * overprint the last label kept on its row, and how many were blanked; their rules stay. Where the x
 * axis reaches is estimated from the timeline's end (10% more, for the axis' rounding up). Dense events
 * (a flap's 24 crashes and restarts) were drawn as one illegible smear of text.
 */
export function thinLabels<T extends { t: number; label: string; ypx: number }>(
  report: Report,
  items: readonly T[],
): { items: T[]; dropped: number } {
  const tl = report.timeline;
  const end = tl.t_ms.length > 0 ? tl.t_ms[tl.t_ms.length - 1] + tl.interval_ms : 0;
  const span = (1.1 * Math.max(end, ...tl.events.map((e) => e.at_ms))) / timeScale(report).divisor;
  if (!(span > 0)) return { items: [...items], dropped: 0 };
  const rowEnd = new Map<number, number>();
  let dropped = 0;
  const out = items.map((it) => {
    const x = (it.t / span) * CHART_WIDTH;
    if (x < (rowEnd.get(it.ypx) ?? Number.NEGATIVE_INFINITY)) {
      dropped++;
      return { ...it, label: '' };
    }
    rowEnd.set(it.ypx, x + it.label.length * LABEL_CHAR_PX + LABEL_GAP_PX);
    return it;
  });
  return { items: out, dropped };
}

/** The timeline events as marks: time, label (blank where it would overprint, thinLabels) and row. */
export function eventMarks(report: Report): {
  items: { t: number; label: string; ypx: number }[];
  dropped: number;
} {
  const { divisor } = timeScale(report);
  // Labels sit above the plot (negative pixel offsets), staggered over three rows so that events close
  // together do not overprint each other or the data.
  const events = report.timeline.events.map((e, i) => ({
    t: e.at_ms / divisor,
    label: e.label,
    ypx: -3 - 14 * (i % 3),
  }));
  return thinLabels(report, events);
}

/**
 * The subtitle line saying which labels thinLabels left out, e.g. `Labels left out where crowded: 15
 * events, 12 detections.`; none when nothing was.
 */
export function crowdedNote(counts: readonly [what: string, dropped: number][]): string[] {
  const left = counts.filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`);
  return left.length > 0 ? [`Labels left out where crowded: ${left.join(', ')}.`] : [];
}

/**
 * Layers that mark the scenario's timeline events: a dashed rule at each event and, with `labels`,
 * its label at the top of the plot. Empty when the scenario has no events.
 */
export function eventLayers(report: Report, labels: boolean): VlSpec[] {
  const events = eventMarks(report).items;
  if (events.length === 0) return [];
  const rule: VlSpec = {
    data: { values: events },
    mark: { type: 'rule', color: '#555', strokeDash: [5, 4], strokeWidth: 1.5 },
    encoding: { x: { field: 't', type: 'quantitative' } },
  };
  if (!labels) return [rule];
  const text: VlSpec = {
    data: { values: events },
    mark: { type: 'text', align: 'left', baseline: 'bottom', dx: -2, fontSize: 11, color: '#333' },
    encoding: {
      x: { field: 't', type: 'quantitative' },
      y: { field: 'ypx', type: 'quantitative', scale: null },
      text: { field: 'label' },
    },
  };
  return [rule, text];
}

/**
 * A panel's layers in drawing order: marks' rules and bands under the data, their text labels over it, so
 * that a bar or line at an event (often the tallest one: the fault's spike) is never hidden by the rule.
 */
export function layered(data: VlSpec[], marks: VlSpec[]): VlSpec[] {
  const isText = (l: VlSpec) => (l.mark as { type?: string } | undefined)?.type === 'text';
  return [...marks.filter((l) => !isText(l)), ...data, ...marks.filter(isText)];
}

/**
 * A y scale from 0 that fits `max` with headroom, so a peak is drawn inside the frame rather than on (and
 * half under) its top edge; [0, 1] when everything is 0 (a degenerate axis would be labelled 0.000000).
 */
export function zeroBasedScale(max: number): VlSpec {
  return max > 0 ? { domain: [0, max * 1.08], nice: true } : { domain: [0, 1] };
}
