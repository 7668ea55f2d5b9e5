/** Share of attempts per model: one horizontal bar per model, labelled with its percentage and attempt count. */
import type { Report } from '../types.js';
import { type ChartSpec, modelColour, modelIds, topLevel } from './style.js';

const NAME = 'share';

/** Null when no request was routed. */
export function shareChart(report: Report): ChartSpec | null {
  const ids = modelIds(report);
  if (ids.length === 0 || report.requests.total === 0) return null;
  const values = ids.map((model) => ({
    model,
    share: report.models[model].share,
    label: `${(report.models[model].share * 100).toFixed(1)}%  (${report.models[model].attempts.toLocaleString('en-US')})`,
  }));
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
          encoding: { color: { ...modelColour(ids), legend: null } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 5, fontSize: 12 },
          encoding: { text: { field: 'label' } },
        },
      ],
    },
    `${report.requests.total.toLocaleString('en-US')} requests, strategy ${report.strategy}`,
  );
  return { name: NAME, title, spec };
}
