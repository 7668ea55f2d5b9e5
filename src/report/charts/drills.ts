/**
 * Chart marks for the report's drills: a dotted rule where each drill recovered (report.json
 * drills[n].recovered_after_s) and a solid one where the router detected the fault, unless the failures
 * chart already marks that detection as a health change. Faults themselves are timeline events, marked
 * by eventLayers. Rules go under the data (style.ts layered), so no error bar is hidden.
 */
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

function drillMarks(report: Report): DrillMark[] {
  const { divisor } = timeScale(report);
  const out: DrillMark[] = [];
  for (const d of report.drills ?? []) {
    const at = d.at_s * 1000;
    const name = `${d.model} ${d.event}`;
    if (d.detected_after_s !== null && !markedAsHealthChange(report, d.model, at + d.detected_after_s * 1000))
      out.push({
        t: (at + d.detected_after_s * 1000) / divisor,
        kind: 'detected',
        label: `${name}: detected after ${d.detected_after_s} s`,
      });
    if (d.recovered_after_s !== null)
      out.push({
        t: (at + d.recovered_after_s * 1000) / divisor,
        kind: 'recovered',
        label: `${name}: recovered after ${d.recovered_after_s} s`,
      });
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * Rules at each drill's detection and recovery and, with `labels`, their text above the plot from
 * `ypx` upwards (staggered over two rows). Empty without drills.
 */
export function drillLayers(report: Report, labels: boolean, ypx = -3): VlSpec[] {
  const marks = placedDrillMarks(report, ypx).items;
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
function placedDrillMarks(report: Report, ypx: number) {
  return thinLabels(
    report,
    drillMarks(report).map((m, i) => ({ ...m, ypx: ypx - 14 * (i % 2) })),
  );
}

/** How many drill labels drawn from `ypx` up are left out where crowded. */
export function drillLabelsDropped(report: Report, ypx: number): number {
  return placedDrillMarks(report, ypx).dropped;
}

/**
 * The line under a chart that draws the drill rules without their labels (load, cache, quota): the blue
 * dotted line of a recovery stood there unexplained.
 */
export function drillRulesNote(report: Report): string[] {
  return drillMarks(report).length > 0 ? ['Dotted lines: a drill detected (green), recovered (blue).'] : [];
}

/** The subtitle line that explains the drill marks, when there are any. */
export function drillsNote(report: Report): string[] {
  return drillMarks(report).length > 0
    ? ['Dotted lines: when each drill was detected (green) and recovered (blue); report.json drills.']
    : [];
}
