/** Cache hit rate over time per model (gaps where a model served nothing in a bucket). */
import type { Report } from '../types.js';
import { drillRulesNote } from './drills.js';
import { otherNote } from './series.js';
import { type ChartSpec, crowdedNote, eventMarks, topLevel } from './style.js';
import { hasData, modelLinesPanel, resolution } from './timeseries.js';

const NAME = 'cache';

/** Null when no model reports a cache hit rate. */
export function cacheChart(report: Report): ChartSpec | null {
  // Models whose hit rate is never above 0 have no cache configured: leave them out of this chart.
  const series = Object.fromEntries(
    Object.entries(report.timeline.cache_hit_rate ?? {}).filter(([, s]) =>
      s.some((v) => v !== null && v > 0),
    ),
  );
  if (report.timeline.t_ms.length === 0 || !hasData(series)) return null;
  const title = 'Cache hit rate, per model';
  const spec = topLevel(
    title,
    modelLinesPanel(report, series, {
      yTitle: 'Cache hit rate (%)',
      percent: true,
      eventLabels: true,
      // Few attempts per bucket make a noisy line: merge buckets, weighting by requests routed.
      maxPoints: 60,
      weights: report.timeline.routed,
    }),
    [
      `Attempts that started in each ${resolution(report, 60).label}; models without a cache left out`,
      ...otherNote(report, false),
      ...drillRulesNote(report),
      ...crowdedNote([['events', eventMarks(report).dropped]]),
    ],
  );
  return { name: NAME, title, spec };
}
