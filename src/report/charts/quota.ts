/** Quota use over time: share of each model's quota window spent, per model with a quota. */
import type { Report } from '../types.js';
import { drillRulesNote } from './drills.js';
import { otherNote } from './series.js';
import { type ChartSpec, crowdedNote, eventMarks, topLevel } from './style.js';
import { hasData, modelLinesPanel } from './timeseries.js';

const NAME = 'quota';

/** Null when no model has a quota configured. */
export function quotaChart(report: Report): ChartSpec | null {
  const series = report.timeline.quota_used ?? {};
  if (report.timeline.t_ms.length === 0 || !hasData(series)) return null;
  const title = 'Quota window used, per model';
  const spec = topLevel(
    title,
    modelLinesPanel(report, series, {
      yTitle: 'Quota window used (%)',
      percent: true,
      eventLabels: true,
      agg: 'last',
    }),
    [
      `At the end of each bucket; windows are aligned minutes from the start of the run`,
      ...otherNote(report, false),
      ...drillRulesNote(report),
      ...crowdedNote([['events', eventMarks(report).dropped]]),
    ],
  );
  return { name: NAME, title, spec };
}
