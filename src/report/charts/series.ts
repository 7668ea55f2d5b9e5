/**
 * Which models a chart draws as their own series. Up to MAX_MODEL_SERIES models each get a line, bar and
 * legend entry; beyond that a chart would be unreadable (and vega chokes on 1,000 legend entries), so the
 * models with the most requests are drawn and the rest are folded into one grey "other (N models)" series
 * where their values add up (requests, load), or left out with a note where they do not (quantiles, rates).
 * Colours stay one per model id: a drawn model keeps its report-order colour.
 */
import type { Report } from '../types.js';
import { colourRange, type VlSpec } from './style.js';

/** Most models drawn as their own series. */
export const MAX_MODEL_SERIES = 10;

const OTHER_COLOUR = '#9a9a9a';

/** The models drawn as their own series, in report order: all of them, or the MAX_MODEL_SERIES with most attempts. */
export function drawnModels(report: Report): string[] {
  const ids = Object.keys(report.models);
  if (ids.length <= MAX_MODEL_SERIES) return ids;
  // Most attempts first; ties keep report order (sort is stable), so the choice is deterministic.
  const top = new Set(
    [...ids].sort((a, b) => report.models[b].attempts - report.models[a].attempts).slice(0, MAX_MODEL_SERIES),
  );
  return ids.filter((id) => top.has(id));
}

/** The models folded into "other" (none when every model is drawn). */
export function otherModels(report: Report): string[] {
  const drawn = new Set(drawnModels(report));
  return Object.keys(report.models).filter((id) => !drawn.has(id));
}

/** The "other" series' name, e.g. `other (990 models)`; null when every model is drawn. */
export function otherName(report: Report): string | null {
  const n = otherModels(report).length;
  return n === 0 ? null : `other (${n.toLocaleString('en-US')} models)`;
}

/** A subtitle line naming what was folded or left out; empty when every model is drawn. */
export function otherNote(report: Report, folded: boolean): string[] {
  const n = otherModels(report).length;
  if (n === 0) return [];
  const of = `${MAX_MODEL_SERIES} of ${Object.keys(report.models).length.toLocaleString('en-US')} models (most attempts) drawn`;
  return [
    folded
      ? `${of}; the other ${n.toLocaleString('en-US')} summed as "other"`
      : `${of}; the other ${n.toLocaleString('en-US')} left out`,
  ];
}

/**
 * The colour encoding of a report's model series: every drawn model with its report-order colour, then
 * "other" in grey when models were folded.
 */
export function seriesColour(report: Report, field = 'model', title = 'Model'): VlSpec {
  const ids = Object.keys(report.models);
  const all = colourRange(ids);
  const drawn = drawnModels(report);
  const domain: string[] = [...drawn];
  const range = drawn.map((id) => all[ids.indexOf(id)]);
  const other = otherName(report);
  if (other !== null) {
    domain.push(other);
    range.push(OTHER_COLOUR);
  }
  return {
    field,
    type: 'nominal',
    title,
    scale: { domain, range },
    sort: domain,
    legend: { orient: 'right', labelLimit: 220 },
  };
}

/** The names of the series drawn (the colour domain): the drawn models, then "other" when any were folded. */
export function seriesNames(report: Report): string[] {
  const other = otherName(report);
  return other === null ? drawnModels(report) : [...drawnModels(report), other];
}

/**
 * `series` restricted to the drawn models, plus "other" as the bucket-wise sum of the rest (for counts
 * such as requests in service). Models missing from `series` are skipped.
 */
export function withOtherSummed(report: Report, series: Record<string, number[]>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const id of drawnModels(report)) if (series[id]) out[id] = series[id];
  const other = otherName(report);
  if (other === null) return out;
  let sum: number[] | null = null;
  for (const id of otherModels(report)) {
    const s = series[id];
    if (!s) continue;
    if (sum === null) sum = new Array<number>(s.length).fill(0);
    for (let i = 0; i < s.length; i++) sum[i] += s[i];
  }
  if (sum !== null) out[other] = sum;
  return out;
}
