/**
 * In service and queued requests per model over time: two stacked panels sharing the time axis, with the
 * scenario's events marked (a queue that grows after a fault is the story this chart tells).
 */
import type { Report } from '../types.js';
import { drillRulesNote } from './drills.js';
import { otherNote, withOtherSummed } from './series.js';
import { type ChartSpec, crowdedNote, eventMarks, topLevel } from './style.js';
import { DEFAULT_MAX_POINTS, eventsNote, modelLinesPanel, resolution } from './timeseries.js';

const NAME = 'load';

/** Null when the timeline is empty. */
export function loadChart(report: Report): ChartSpec | null {
  if (report.timeline.t_ms.length === 0 || Object.keys(report.models).length === 0) return null;
  const title = 'Requests in service and queued, per model';
  // A queue that never formed gets no panel, only a mention: a flat zero panel would be half the chart.
  const queued = Object.values(report.timeline.queued).some((s) => s.some((v) => v > 0));
  const panels = [
    modelLinesPanel(report, withOtherSummed(report, report.timeline.in_flight), {
      yTitle: 'In service (requests)',
      height: queued ? 170 : 240,
      eventLabels: true,
      step: true,
      // The queued panel below shares the time axis and labels it (as the failures chart does).
      timeLabels: !queued,
    }),
  ];
  if (queued)
    panels.push(
      modelLinesPanel(report, withOtherSummed(report, report.timeline.queued), {
        yTitle: 'Queued (requests)',
        height: 170,
        step: true,
      }),
    );
  const spec = topLevel(title, { vconcat: panels, spacing: 10, resolve: { scale: { color: 'shared' } } }, [
    `Time-weighted mean per ${resolution(report, DEFAULT_MAX_POINTS).label}${eventsNote(report)}${queued ? '' : '; no request queued'}`,
    ...otherNote(report, true),
    ...drillRulesNote(report),
    ...crowdedNote([['events', eventMarks(report).dropped]]),
  ]);
  return { name: NAME, title, spec };
}
