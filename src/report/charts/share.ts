/** Share of attempts per model: one horizontal bar per model, labelled with its percentage and attempt count. */

import { int, pct } from '../../core/format.js';
import type { Report } from '../types.js';
import { drawnModels, otherModels, otherName, otherNote, seriesColour, seriesNames } from './series.js';
import { type ChartSpec, topLevel } from './style.js';

const NAME = 'share';

/** On a 0-100% axis, a bar longer than this has its label inside it. */
const INSIDE_FROM = 0.7;

/** Null when no request was routed. */
export function shareChart(report: Report): ChartSpec | null {
  const ids = seriesNames(report);
  if (ids.length === 0 || report.requests.total === 0) return null;
  const bar = (model: string, share: number, attempts: number) => ({
    model,
    share,
    label: `${pct(share)}  (${int(attempts)})`,
  });
  const values = drawnModels(report).map((id) =>
    bar(id, report.models[id].share, report.models[id].attempts),
  );
  const other = otherName(report);
  if (other !== null) {
    const rest = otherModels(report).map((id) => report.models[id]);
    values.push(
      bar(
        other,
        rest.reduce((s, m) => s + m.share, 0),
        rest.reduce((s, m) => s + m.attempts, 0),
      ),
    );
  }
  // Headroom for the labels right of the bars, up to 100%: a bar longer than that leaves too little room
  // (mm1's 100.0% (200,000) was drawn outside the frame), so its label goes inside, in white.
  const top = Math.min(1, Math.max(...values.map((v) => v.share)) * 1.35 || 1);
  const labelled = values.map((v) => ({ ...v, inside: top === 1 && v.share > INSIDE_FROM }));
  const title = 'Share of attempts per model';
  const spec = topLevel(
    title,
    {
      width: 560,
      height: Math.max(60, 28 * ids.length),
      data: { values: labelled },
      encoding: {
        y: { field: 'model', type: 'nominal', title: null, sort: ids, axis: { labelFontSize: 13 } },
        x: {
          field: 'share',
          type: 'quantitative',
          title: 'Share of attempts (%)',
          scale: { domain: [0, top] },
          // At most ~8 ticks: a 2% step over 0-36% printed 19 labels that touched.
          axis: { format: '.0%', tickCount: 8 },
        },
      },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: { color: { ...seriesColour(report), legend: null } },
        },
        {
          mark: {
            type: 'text',
            align: { expr: "datum.inside ? 'right' : 'left'" },
            dx: { expr: 'datum.inside ? -5 : 5' },
            color: { expr: "datum.inside ? 'white' : 'black'" },
            fontSize: 12,
          },
          encoding: { text: { field: 'label' } },
        },
      ],
    },
    [`${int(report.requests.total)} requests, strategy ${report.strategy}`, ...otherNote(report, true)],
  );
  return { name: NAME, title, spec };
}
