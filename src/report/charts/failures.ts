/**
 * Errors, retries, fallbacks and rejections over time, with the scenario's timeline events marked and
 * labelled: the chart that shows what a fault did and how the router absorbed it. One bar panel per kind
 * (stacked, sharing the time axis, each with its own y scale) so that a spike of one never hides another;
 * a kind that never happened gets no panel and is named in the subtitle instead. Kinds are not models, so
 * they use their own fixed colours.
 */
import type { Report } from '../types.js';
import {
  CHART_WIDTH,
  type ChartSpec,
  eventLayers,
  timeScale,
  timeX,
  topLevel,
  type VlSpec,
} from './style.js';
import { eventsNote, rebin, resolution } from './timeseries.js';

export const NAME = 'failures';

const KINDS = [
  { key: 'errors', label: 'Errors', colour: '#c0392b' },
  { key: 'retries', label: 'Retries', colour: '#2c3e50' },
  { key: 'fallbacks', label: 'Fallbacks', colour: '#8e44ad' },
  { key: 'rejections', label: 'Rejections', colour: '#d35400' },
] as const;

/** Drawn whenever the timeline has buckets (all zero: one flat Errors panel, itself the finding). */
export function failuresChart(report: Report): ChartSpec | null {
  const tl = report.timeline;
  if (tl.t_ms.length === 0) return null;
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
      layer: [
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
              scale: s.some((v) => v > 0) ? {} : { domain: [0, 1] },
            },
            y2: { datum: 0 },
          },
        },
        ...eventLayers(report, i === 0),
      ],
    };
  });
  const totals = `Totals: ${report.requests.failed} failed, ${report.routing.retries} retries, ${report.routing.fallbacks} fallbacks, ${report.requests.rejected} rejected`;
  const title = 'Errors, retries, fallbacks and rejections over time';
  const spec = topLevel(title, { vconcat: panels, spacing: 6 }, [
    `Count per ${label}${eventsNote(report)}.`,
    `${totals}${quiet.length > 0 && quiet.length < 4 ? ` (no ${quiet.join(', no ')})` : ''}`,
  ]);
  return { name: NAME, title, spec };
}
