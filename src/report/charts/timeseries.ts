/** The per-model line panel shared by the time-series charts (load, quota, cache hit rate). */
import type { Report } from '../types.js';
import { drillLayers } from './drills.js';
import { seriesColour, seriesNames } from './series.js';
import { CHART_WIDTH, eventLayers, layered, timeScale, timeX, type VlSpec, zeroBasedScale } from './style.js';

export interface PanelOptions {
  yTitle: string;
  height?: number;
  /** Format the y axis as a percentage of 1. */
  percent?: boolean;
  /** Label the event rules (only one panel of a stack should, to avoid clutter). */
  eventLabels?: boolean;
  /** Draw steps (bucketed counts) rather than straight segments. */
  step?: boolean;
  /** Merge consecutive buckets so that at most this many points are drawn (default 300). */
  maxPoints?: number;
  /** How merged buckets combine: mean (weighted by `weights` when given) or the last value. */
  agg?: 'mean' | 'last';
  /** Per-model weights for the mean (e.g. requests routed, for a hit rate). */
  weights?: Record<string, number[]>;
  /** Label the time axis (default true); a panel stacked over another of the same span leaves it out. */
  timeLabels?: boolean;
}

/** How many buckets to merge so that at most `maxPoints` are drawn, and the merged width in words. */
export function resolution(report: Report, maxPoints: number): { k: number; label: string } {
  const k = Math.max(1, Math.ceil(report.timeline.t_ms.length / maxPoints));
  const s = (report.timeline.interval_ms * k) / 1000;
  const width = s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
  return { k, label: k > 1 ? `${width} window (${k} buckets merged)` : `${width} bucket` };
}

/** "; dashed lines mark scenario events" when the scenario has any, else ''. */
export function eventsNote(report: Report): string {
  return report.timeline.events.length > 0 ? '; dashed lines mark scenario events' : '';
}

/**
 * Merges every `k` consecutive buckets: the mean of the non-null values (weighted when `w` is given), the
 * sum, or the last non-null one. Null when a group has no value. Exported for the tests.
 */
export function rebin(
  v: readonly (number | null)[],
  k: number,
  agg: 'mean' | 'sum' | 'last',
  w?: readonly number[],
): (number | null)[] {
  if (k <= 1) return [...v];
  const out: (number | null)[] = [];
  for (let i = 0; i < v.length; i += k) {
    let sum = 0;
    let wsum = 0;
    let last: number | null = null;
    for (let j = i; j < Math.min(v.length, i + k); j++) {
      const x = v[j];
      if (x === null) continue;
      const wj = w ? (w[j] ?? 0) : 1;
      sum += x * wj;
      wsum += wj;
      last = x;
    }
    if (agg === 'sum') out.push(last === null ? null : sum);
    else out.push(agg === 'last' ? last : wsum > 0 ? sum / wsum : null);
  }
  return out;
}

/** Lines are drawn with at most this many points (a 1 s bucket over an hour would be 3,600). */
export const DEFAULT_MAX_POINTS = 300;

/**
 * One line per drawn series present in `series` (series.ts: the drawn models, and "other" when the caller
 * put it in); null values (no data in a bucket) leave a gap.
 */
export function modelLinesPanel(
  report: Report,
  series: Record<string, (number | null)[]>,
  opts: PanelOptions,
): VlSpec {
  const ids = seriesNames(report);
  const { divisor } = timeScale(report);
  const values: { t: number; model: string; v: number | null }[] = [];
  const present: string[] = [];
  const { k } = resolution(report, opts.maxPoints ?? DEFAULT_MAX_POINTS);
  for (const model of ids) {
    const raw = series[model];
    if (!raw) continue;
    present.push(model);
    const s = rebin(raw, k, opts.agg ?? 'mean', opts.weights?.[model]);
    for (let i = 0; i < s.length; i++)
      values.push({ t: report.timeline.t_ms[i * k] / divisor, model, v: s[i] });
  }
  return {
    width: CHART_WIDTH,
    height: opts.height ?? 240,
    layer: layered(
      [
        {
          data: { values },
          mark: {
            type: 'line',
            interpolate: opts.step ? 'step-after' : 'linear',
            invalid: 'break-paths-show-domains',
          },
          encoding: {
            x: opts.timeLabels === false ? unlabelledTime(report) : timeX(report),
            y: {
              field: 'v',
              type: 'quantitative',
              title: opts.yTitle,
              ...(opts.percent
                ? // A little over 100%, so that a line at 100% is not drawn on the frame.
                  { axis: { format: '.0%' }, scale: { domain: [0, 1.04], nice: false } }
                : { axis: { format: ',~r' }, scale: zeroBasedScale(maxOf(values)) }),
            },
            // The scale keeps every series (fixed colours); the legend lists only those drawn here.
            color: { ...seriesColour(report), legend: { values: present, orient: 'right', labelLimit: 220 } },
          },
        },
      ],
      [...eventLayers(report, opts.eventLabels ?? false), ...drillLayers(report)],
    ),
  };
}

/** The time axis without its labels and title (the panel below it has them): ticks and grid stay. */
function unlabelledTime(report: Report): VlSpec {
  const x = timeX(report);
  return { ...x, axis: { ...(x.axis as object), labels: false, title: null } };
}

/** The largest value (0 when none); a loop, not Math.max(...), which overflows the stack on long series. */
function maxOf(values: readonly { v: number | null }[]): number {
  let m = 0;
  for (const d of values) if (d.v !== null && d.v > m) m = d.v;
  return m;
}

/** True when some model has at least one non-null value. */
export function hasData(series: Record<string, (number | null)[]>): boolean {
  return Object.values(series).some((s) => s.some((v) => v !== null));
}
