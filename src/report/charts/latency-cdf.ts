/** Latency CDFs per model, TTFT beside end-to-end, from report.cdf (quantile -> ms). */
import type { Report } from '../types.js';
import { addCdfCurve, type CdfPoint, cdfPlot } from './cdf.js';
import { drawnModels, otherNote, seriesColour } from './series.js';
import { type ChartSpec, topLevel, type VlSpec } from './style.js';

const NAME = 'latency-cdf';

/** Drawn models with a curve (something completed); the legend names only these. */
function withCurves(report: Report): string[] {
  return drawnModels(report).filter((id) =>
    (['ttft_ms', 'e2e_ms'] as const).some((k) => (report.cdf[k][id] ?? []).some((v) => v > 0)),
  );
}

function panel(report: Report, key: 'ttft_ms' | 'e2e_ms', xTitle: string): VlSpec | null {
  const ids = withCurves(report);
  const values: CdfPoint<{ model: string }>[] = [];
  for (const model of ids) addCdfCurve(values, { model }, report.cdf[key][model] ?? [], report.cdf.quantiles);
  if (values.length === 0) return null;
  return cdfPlot({
    width: 330,
    height: 240,
    pointSize: 18,
    xTitle,
    values,
    color: { ...seriesColour(report), legend: { values: ids, orient: 'right', labelLimit: 220 } },
  });
}

/** Null when no model has latency quantiles (nothing completed). */
export function latencyCdfChart(report: Report): ChartSpec | null {
  const panels = [
    panel(report, 'ttft_ms', 'Time to first token (ms, log scale)'),
    panel(report, 'e2e_ms', 'End-to-end latency (ms, log scale)'),
  ].filter((p): p is VlSpec => p !== null);
  if (panels.length === 0) return null;
  const title = 'Latency distribution per model (CDF)';
  const note = otherNote(report, false);
  const spec = topLevel(
    title,
    { hconcat: panels, resolve: { scale: { color: 'shared' } } },
    note.length > 0 ? note : undefined,
  );
  return { name: NAME, title, spec };
}
