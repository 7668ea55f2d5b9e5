/**
 * Errors, retries, fallbacks and rejections over time, with the scenario's timeline events marked and
 * labelled: the chart that shows what a fault did and how the router absorbed it. One bar panel per kind
 * (stacked, sharing the time axis, each with its own y scale) so that a spike of one never hides another;
 * a kind that never happened gets no panel and is named in the subtitle instead. Kinds are not models, so
 * they use their own fixed colours. When the router noticed a health change (models.<id>.health_changes
 * detected_at_ms), a solid line marks that moment and a band shades the detection delay since the change.
 */
import { int, secs } from '../../core/format.js';
import type { Report } from '../types.js';
import { drillLabelsDropped, drillLayers, drillsNote } from './drills.js';
import {
  CHART_WIDTH,
  type ChartSpec,
  crowdedNote,
  eventLayers,
  eventMarks,
  layered,
  thinLabels,
  timeScale,
  timeX,
  topLevel,
  type VlSpec,
  zeroBasedScale,
} from './style.js';
import { eventsNote, rebin, resolution } from './timeseries.js';

const NAME = 'failures';

const KINDS = [
  { key: 'errors', label: 'Errors', colour: '#c0392b' },
  { key: 'retries', label: 'Retries', colour: '#2c3e50' },
  { key: 'fallbacks', label: 'Fallbacks', colour: '#8e44ad' },
  { key: 'rejections', label: 'Rejections', colour: '#d35400' },
] as const;

/**
 * Null when the timeline is empty, or when nothing failed, was retried, fell back or was rejected and no
 * event happened: a flat empty panel said nothing the Requests table does not. With events but no counts,
 * one flat Errors panel shows them (nothing failed around them: itself the finding).
 */
export function failuresChart(report: Report): ChartSpec | null {
  const tl = report.timeline;
  if (tl.t_ms.length === 0) return null;
  const anyCount = KINDS.some((k) => (tl[k.key] ?? []).some((v) => v > 0));
  if (!anyCount && tl.events.length === 0 && (report.drills ?? []).length === 0) return null;
  const { divisor } = timeScale(report);
  // At most 150 bars per panel: buckets are summed into wider windows on long runs.
  const { k, label } = resolution(report, 150);
  const end = tl.t_ms[tl.t_ms.length - 1] + tl.interval_ms;
  let shown = KINDS.filter((k) => (tl[k.key] ?? []).some((v) => v > 0));
  const quiet = KINDS.filter((k) => !shown.includes(k)).map((k) => k.label.toLowerCase());
  if (shown.length === 0) shown = [KINDS[0]];
  const panels: VlSpec[] = shown.map((kind, i) => {
    const s = rebin(tl[kind.key] ?? [], k, 'sum').map((v) => v ?? 0);
    const last = i === shown.length - 1;
    const x = timeX(report);
    return {
      width: CHART_WIDTH,
      height: shown.length > 2 ? 80 : 120,
      layer: layered(
        [
          {
            // Each bar spans its bucket [t, t + interval).
            data: {
              values: s.map((n, j) => ({
                t: tl.t_ms[j * k] / divisor,
                // The last window may be partial: it ends where the timeline ends.
                t2: Math.min(tl.t_ms[j * k] + k * tl.interval_ms, end) / divisor,
                n,
              })),
            },
            mark: { type: 'bar', color: kind.colour },
            encoding: {
              x: { ...x, axis: { ...(x.axis as object), labels: last, title: last ? x.title : null } },
              x2: { field: 't2' },
              y: {
                field: 'n',
                type: 'quantitative',
                title: kind.label,
                axis: { tickMinStep: 1, format: ',d', titleFontWeight: 'bold', titleColor: kind.colour },
                scale: zeroBasedScale(s.reduce((m, v) => Math.max(m, v), 0)),
              },
              y2: { datum: 0 },
            },
          },
        ],
        [
          ...eventLayers(report, i === 0),
          ...detectionLayers(report, i === 0),
          ...drillLayers(report, { labels: i === 0, healthMarked: true, ypx: drillLabelRow(report) }),
        ],
      ),
    };
  });
  const models = Object.values(report.models);
  const failedAttempts = models.reduce((n, m) => n + m.failed_attempts, 0);
  const refused = models.reduce((n, m) => n + m.refused_attempts, 0);
  const totals =
    `Totals: ${counted(report.routing.retries, 'retry', 'retries')}, ${counted(report.routing.fallbacks, 'fallback')}; ` +
    `requests ${int(report.requests.failed)} failed, ${int(report.requests.rejected)} rejected.`;
  // The Errors bars count attempts, not requests (a retried error is no failed request; a refused attempt
  // is no error): 93 errors beside 218 failed requests read as a contradiction without this line.
  const notDrawn = refused > 0 ? ` (${counted(refused, 'refused attempt')} not drawn)` : '';
  const errors = shown.some((k) => k.key === 'errors')
    ? [`Errors: failed attempts, ${int(failedAttempts)} in all${notDrawn}.`]
    : refused > 0
      ? [`No attempt failed${notDrawn}.`]
      : [];
  const title = 'Errors, retries, fallbacks and rejections over time';
  const spec = topLevel(title, { vconcat: panels, spacing: 6 }, [
    `Count per ${label}${eventsNote(report)}.`,
    totals,
    ...errors,
    ...(quiet.length > 0 && quiet.length < 4 ? [`No panel for ${quiet.join(', ')}: none happened.`] : []),
    ...detectionNote(report),
    ...drillsNote(report),
    ...crowdedNote([
      ['events', eventMarks(report).dropped],
      ['detections', detections(report).filter((d) => d.label === '').length],
      ['drill marks', drillLabelsDropped(report, drillLabelRow(report))],
    ]),
  ]);
  return { name: NAME, title, spec };
}

/** `1 retry`, `2,441 fallbacks`: a count with separators and its noun. */
function counted(n: number, one: string, many = `${one}s`): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}

const DETECTED_COLOUR = '#16a085';

interface Detection {
  t0: number;
  t: number;
  label: string;
  ypx: number;
}

/** Every health change the router noticed, in time order, labelled with its delay. */
function detections(report: Report): Detection[] {
  const { divisor } = timeScale(report);
  const out: Omit<Detection, 'ypx'>[] = [];
  for (const [id, m] of Object.entries(report.models)) {
    for (const c of m.health_changes ?? []) {
      if (c.detected_at_ms === null || c.delay_ms === null) continue;
      out.push({
        t0: c.at_ms / divisor,
        t: c.detected_at_ms / divisor,
        label: `${id} ${c.true_health}: noticed after ${secs(c.delay_ms / 1000)} s`,
      });
    }
  }
  out.sort((a, b) => a.t - b.t);
  // Above the event labels (up to three rows from -3 px), staggered over two rows of their own.
  const base = -3 - 14 * Math.min(3, report.timeline.events.length);
  return thinLabels(
    report,
    out.map((d, i) => ({ ...d, ypx: base - 14 * (i % 2) })),
  ).items;
}

/** Where drill labels start: above the event labels and the detection labels' two rows. */
function drillLabelRow(report: Report): number {
  return -3 - 14 * (Math.min(3, report.timeline.events.length) + Math.min(2, detections(report).length));
}

/**
 * Layers that mark when the router noticed each health change: a band over the detection delay, a solid
 * rule at the detection and, with `labels`, the delay written above the plot. Empty without detections.
 */
function detectionLayers(report: Report, labels: boolean): VlSpec[] {
  const values = detections(report);
  if (values.length === 0) return [];
  const band: VlSpec = {
    data: { values },
    mark: { type: 'rect', color: DETECTED_COLOUR, opacity: 0.18 },
    encoding: { x: { field: 't0', type: 'quantitative' }, x2: { field: 't' } },
  };
  const rule: VlSpec = {
    data: { values },
    mark: { type: 'rule', color: DETECTED_COLOUR, strokeWidth: 2 },
    encoding: { x: { field: 't', type: 'quantitative' } },
  };
  if (!labels) return [band, rule];
  const text: VlSpec = {
    data: { values },
    mark: {
      type: 'text',
      align: 'left',
      baseline: 'bottom',
      dx: -2,
      fontSize: 11,
      color: DETECTED_COLOUR,
    },
    encoding: {
      x: { field: 't', type: 'quantitative' },
      y: { field: 'ypx', type: 'quantitative', scale: null },
      text: { field: 'label' },
    },
  };
  return [band, rule, text];
}

function detectionNote(report: Report): string[] {
  return detections(report).length > 0
    ? ['Solid green lines: when the router noticed a health change (the delay shaded).']
    : [];
}
