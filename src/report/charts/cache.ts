/** Cache hit rate over time per model (gaps where a model served nothing in a bucket). */
import { pct } from '../../core/format.js';
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
      `Attempts that started in each ${resolution(report, 60).label}; models without a cache left out.`,
      // A block-level prefix cache finds some cached block on nearly every lookup: every line sits at
      // 100% while most prompt tokens were computed. Say what a hit is, and the token share.
      'A hit: the lookup found at least one cached token of the prompt.',
      ...(report.cache !== undefined && report.cache.token_hit_rate > 0
        ? [`Prompt tokens served from cache, all models: ${pct(report.cache.token_hit_rate)}.`]
        : []),
      ...otherNote(report, false),
      ...drillRulesNote(report),
      ...crowdedNote([['events', eventMarks(report).dropped]]),
    ],
  );
  return { name: NAME, title, spec };
}
