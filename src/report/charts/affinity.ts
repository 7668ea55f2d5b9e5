/** Session-affinity table size over time (one series: the router's table, not a model's). */
import type { Report } from '../types.js';
import {
  CHART_WIDTH,
  type ChartSpec,
  crowdedNote,
  eventLayers,
  eventMarks,
  layered,
  timeScale,
  timeX,
  topLevel,
  zeroBasedScale,
} from './style.js';

const NAME = 'affinity';

/** Null when affinity was never used (every bucket 0). */
export function affinityChart(report: Report): ChartSpec | null {
  const tl = report.timeline;
  if (tl.t_ms.length === 0 || !tl.affinity_entries?.some((v) => v > 0)) return null;
  const { divisor } = timeScale(report);
  const values = tl.affinity_entries.map((v, i) => ({ t: tl.t_ms[i] / divisor, v }));
  const a = report.routing.affinity;
  const title = 'Session-affinity entries over time';
  const counts = `Hits ${a.hits.toLocaleString('en-US')}, misses ${a.misses.toLocaleString('en-US')}, expired ${a.expired.toLocaleString('en-US')}`;
  // The table's size, not the sessions still fresh: a reader would take a climb for live sessions.
  const held = 'Entries held: an expired one stays until a follow-up finds it or a sweep removes it';
  const crowded = crowdedNote([['events', eventMarks(report).dropped]]);
  const spec = topLevel(
    title,
    {
      width: CHART_WIDTH,
      height: 220,
      layer: layered(
        [
          {
            data: { values },
            mark: {
              type: 'area',
              line: { color: '#34495e', strokeWidth: 2 },
              color: '#34495e',
              opacity: 0.25,
            },
            encoding: {
              x: timeX(report),
              y: {
                field: 'v',
                type: 'quantitative',
                // Shorter than the 220 px plot by vega's estimate of its length (~10 px a character): the longer
                // 'Live affinity entries (sessions)' left blank bands above and below the plot.
                title: 'Entries (sessions)',
                scale: zeroBasedScale(values.reduce((m, d) => Math.max(m, d.v), 0)),
              },
            },
          },
        ],
        eventLayers(report, true),
      ),
    },
    [counts, held, ...crowded],
  );
  return { name: NAME, title, spec };
}
