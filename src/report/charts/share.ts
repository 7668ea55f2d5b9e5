/** Share of attempts per model: one horizontal bar per model, labelled with its percentage and attempt count. */

import { int, pct } from '../../core/format.js';
import type { Report } from '../types.js';
import { drawnModels, otherModels, otherName, otherNote, seriesColour, seriesNames } from './series.js';
import { type ChartSpec, topLevel } from './style.js';

const NAME = 'share';

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
  const title = 'Share of attempts per model';
  const spec = topLevel(
    title,
    {
      width: 560,
      height: Math.max(60, 28 * ids.length),
      data: { values },
      encoding: {
        y: { field: 'model', type: 'nominal', title: null, sort: ids, axis: { labelFontSize: 13 } },
        x: {
          field: 'share',
          type: 'quantitative',
          title: 'Share of attempts (%)',
          scale: { domain: [0, Math.min(1, Math.max(...values.map((v) => v.share)) * 1.35 || 1)] },
          axis: { format: '.0%' },
        },
      },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: { color: { ...seriesColour(report), legend: null } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 5, fontSize: 12 },
          encoding: { text: { field: 'label' } },
        },
      ],
    },
    [`${int(report.requests.total)} requests, strategy ${report.strategy}`, ...otherNote(report, true)],
  );
  return { name: NAME, title, spec };
}
