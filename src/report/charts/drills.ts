/**
 * Chart marks for the report's drills: a dotted rule where each drill recovered (report.json
 * drills[n].recovered_after_s) and one where the router detected the fault, unless the chart already marks
 * that detection as a health change (the failures chart's solid green lines). Faults themselves are
 * timeline events, marked by eventLayers. Rules go under the data (style.ts layered), so no error bar is
 * hidden. Labels print seconds as the drill table does (core/format secs).
 */
import { secs } from '../../core/format.js';
import type { Report } from '../types.js';
import { thinLabels, timeScale, type VlSpec } from './style.js';

export const RECOVERED_COLOUR = '#2471a3';
const DETECTED_COLOUR = '#16a085';

interface DrillMark {
  t: number;
  kind: 'detected' | 'recovered';
  label: string;
}

/** A health change the report already lists as detected at `t_ms` (the failures chart marks those). */
function markedAsHealthChange(report: Report, model: string, t_ms: number): boolean {
  const m = report.models[model];
  return (m?.health_changes ?? []).some(
    (c) => c.detected_at_ms !== null && Math.abs(c.detected_at_ms - t_ms) < 1e-3,
  );
}

/**
 * Each drill's detection and recovery, in time order. With `healthMarked` (the chart draws the health
 * changes the router noticed), a detection at the moment of such a change is left to that line.
 */
function drillMarks(report: Report, healthMarked: boolean): DrillMark[] {
  const { divisor } = timeScale(report);
  const out: DrillMark[] = [];
  for (const d of report.drills ?? []) {
    const at = d.at_s * 1000;
    const name = `${d.model} ${d.event}`;
    if (
      d.detected_after_s !== null &&
      !(healthMarked && markedAsHealthChange(report, d.model, at + d.detected_after_s * 1000))
    )
      out.push({
        t: (at + d.detected_after_s * 1000) / divisor,
        kind: 'detected',
        label: `${name}: detected after ${secs(d.detected_after_s)} s`,
      });
    if (d.recovered_after_s !== null)
      out.push({
        t: (at + d.recovered_after_s * 1000) / divisor,
        kind: 'recovered',
        label: `${name}: recovered after ${secs(d.recovered_after_s)} s`,
      });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** How a chart draws drill marks: with their labels from `ypx` up, beside health-change lines or not. */
export interface DrillMarkOptions {
  labels?: boolean;
  /** The chart marks the router's noticed health changes itself (the failures chart). */
  healthMarked?: boolean;
  ypx?: number;
}

/**
 * Rules at each drill's detection and recovery and, with `labels`, their text above the plot from
 * `ypx` upwards (staggered over two rows). Empty without drills.
 */
export function drillLayers(report: Report, opts: DrillMarkOptions = {}): VlSpec[] {
  const labels = opts.labels ?? false;
  const marks = placedDrillMarks(report, opts.healthMarked ?? false, opts.ypx ?? -3).items;
  const out: VlSpec[] = [];
  // One layer per kind with a fixed colour: a colour encoding would join the panel's model colour scale.
  for (const [kind, colour] of [
    ['detected', DETECTED_COLOUR],
    ['recovered', RECOVERED_COLOUR],
  ] as const) {
    const values = marks.filter((m) => m.kind === kind);
    if (values.length === 0) continue;
    out.push({
      data: { values },
      mark: { type: 'rule', color: colour, strokeWidth: 2, strokeDash: [2, 3] },
      encoding: { x: { field: 't', type: 'quantitative' } },
    });
    if (labels)
      out.push({
        data: { values },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dx: -2, fontSize: 11, color: colour },
        encoding: {
          x: { field: 't', type: 'quantitative' },
          y: { field: 'ypx', type: 'quantitative', scale: null },
          text: { field: 'label' },
        },
      });
  }
  return out;
}

/** The drill marks on their two rows from `ypx` up, labels that would overprint blanked (thinLabels). */
function placedDrillMarks(report: Report, healthMarked: boolean, ypx: number) {
  return thinLabels(
    report,
    drillMarks(report, healthMarked).map((m, i) => ({ ...m, ypx: ypx - 14 * (i % 2) })),
  );
}

/** How many drill labels drawn from `ypx` up beside the health-change lines are left out where crowded. */
export function drillLabelsDropped(report: Report, ypx: number): number {
  return placedDrillMarks(report, true, ypx).dropped;
}

/** The kinds of drill mark a chart draws, in words with their colours: `detected (green)`, `recovered (blue)`. */
function drawnKinds(report: Report, healthMarked: boolean): string[] {
  const kinds = new Set(drillMarks(report, healthMarked).map((m) => m.kind));
  return [
    ...(kinds.has('detected') ? ['detected (green)'] : []),
    ...(kinds.has('recovered') ? ['recovered (blue)'] : []),
  ];
}

/**
 * The line under a chart that draws the drill rules without their labels (load, cache, quota): the blue
 * dotted line of a recovery stood there unexplained. Names only the kinds drawn.
 */
export function drillRulesNote(report: Report): string[] {
  const kinds = drawnKinds(report, false);
  return kinds.length > 0 ? [`Dotted lines: a drill ${kinds.join(', ')}.`] : [];
}

/**
 * The failures chart's line that explains its drill marks, naming only the kinds drawn: a detection at a
 * noticed health change is that change's solid green line, not a dotted one of its own.
 */
export function drillsNote(report: Report): string[] {
  const kinds = drawnKinds(report, true);
  if (kinds.length === 0) return [];
  const atChange = (report.drills ?? []).some(
    (d) =>
      d.detected_after_s !== null &&
      markedAsHealthChange(report, d.model, (d.at_s + d.detected_after_s) * 1000),
  );
  // Short lines: vega sizes the chart by an estimate of its longest subtitle line (~10 px a character).
  const also = atChange ? ['A drill detected at a noticed health change is marked by its solid line.'] : [];
  if (kinds.length === 1 && kinds[0].startsWith('recovered'))
    return ['Dotted blue lines: when each drill recovered; report.json drills.', ...also];
  return [`Dotted lines: when each drill was ${kinds.join(' and ')}; report.json drills.`, ...also];
}
