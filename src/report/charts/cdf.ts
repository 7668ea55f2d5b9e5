/**
 * The latency CDF plot every CDF chart draws (a report's per-model panels, compare's variants, fidelity's
 * live against simulated): quantile curves over a logarithmic ms axis, so that the median and the p99 tail
 * are both readable.
 */
import type { VlSpec } from './style.js';

/** One point of a curve: `ms` reached by the share `q` of requests, with the fields naming its series. */
export type CdfPoint<F> = F & { ms: number; q: number };

/**
 * Appends the curve `ms` (one value per entry of `quantiles`) to `out`, each point carrying `fields`.
 * Quantile 0 and 0 ms values are left out: on a log scale the minimum is a lone outlier that would stretch
 * the axis by decades, and 0 cannot be drawn at all (a series with nothing completed is all zeros).
 */
export function addCdfCurve<F extends object>(
  out: CdfPoint<F>[],
  fields: F,
  ms: readonly number[],
  quantiles: readonly number[],
): void {
  for (let i = 0; i < ms.length; i++) {
    const q = quantiles[i];
    if (ms[i] > 0 && q > 0) out.push({ ...fields, ms: ms[i], q });
  }
}

/** The look of one CDF plot; `encoding` adds channels (a dash per run) beside the colour. */
export interface CdfPlot {
  width: number;
  height: number;
  pointSize: number;
  xTitle: string;
  values: readonly { ms: number }[];
  color: VlSpec;
  encoding?: VlSpec;
}

/**
 * The x domain of a log-scale CDF: from the smallest to the largest latency drawn, padded by 4% of the
 * span in log space (at least 5% either side) so end points sit inside the frame. Not rounded out to
 * powers of ten: a run whose latencies lie between 1,100 and 1,800 ms gets that range, not 1,000–10,000
 * with every curve squeezed against the left edge. Null when nothing is drawn.
 */
export function cdfDomain(values: readonly { ms: number }[]): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const v of values) {
    if (v.ms < lo) lo = v.ms;
    if (v.ms > hi) hi = v.ms;
  }
  if (!(hi > 0)) return null;
  const pad = Math.max(1.05, (hi / lo) ** 0.04);
  return [lo / pad, hi * pad];
}

/** The steps tried for a sub-decade axis, finest first: 1, 2, 2.5 and 5 times a power of ten. */
function* steps(from: number): Generator<number> {
  for (let p = 10 ** Math.floor(Math.log10(from)); ; p *= 10)
    for (const m of [1, 2, 2.5, 5]) if (m * p >= from) yield m * p;
}

/** Width vega gives a tick label when it lays labels out: ~0.8 em a character at font size 12 (its estimate). */
const labelPx = (v: number) => 9.6 * v.toLocaleString('en-US').length;

/**
 * Labelled ticks for a log axis over `domain` that spans less than a decade, with the domain widened to
 * the tick just beyond an end where that adds little, so that the ends are labelled; null for a wider span (vega's own ticks,
 * powers of ten and their multiples, read well there). Under a decade vega offers only the multiples of
 * one power of ten inside the domain and drops the labels that crowd, so a 330-2,000 ms axis was labelled
 * 400 to 900 and its upper half not at all. Instead: every multiple of the finest 1-2-2.5-5 step whose
 * labels all fit side by side on a `width` px axis (log spacing narrows them to the right).
 */
export function cdfTicks(
  domain: readonly [number, number],
  width: number,
): { values: number[]; domain: [number, number] } | null {
  const [lo, hi] = domain;
  if (!(lo > 0) || !(hi > lo) || hi / lo >= 10) return null;
  for (const step of steps((hi - lo) / 20)) {
    // Out to the tick beyond each end when that adds little (8% of the span): a labelled end.
    const room = Math.log10(hi / lo) * 0.08;
    const below = Math.floor(lo / step) * step;
    const above = Math.ceil(hi / step) * step;
    const a = below > 0 && Math.log10(lo / below) <= room ? below : lo;
    const b = Math.log10(above / hi) <= room ? above : hi;
    const px = (v: number) => (width * Math.log10(v / a)) / Math.log10(b / a);
    const values: number[] = [];
    for (let k = Math.ceil(a / step); k * step <= b * (1 + 1e-12); k++)
      values.push(Number((k * step).toPrecision(12)));
    // At least two labels, and no more than one per 50 px (a fit of ten 2-digit labels is still a smear).
    if (values.length < 2 || values.length > width / 50) continue;
    const fits = values.every(
      (t, i) => i === 0 || px(t) - px(values[i - 1]) >= (labelPx(t) + labelPx(values[i - 1])) / 2 + 2,
    );
    if (fits) return { values, domain: [a, b] };
  }
  return null;
}

/** The vega-lite body (no title or config: wrap it with topLevel, or concatenate several). */
export function cdfPlot(p: CdfPlot): VlSpec {
  const domain = cdfDomain(p.values as { ms: number }[]);
  const ticks = domain ? cdfTicks(domain, p.width) : null;
  const x = ticks?.domain ?? domain;
  return {
    width: p.width,
    height: p.height,
    data: { values: p.values },
    mark: { type: 'line', interpolate: 'monotone', point: { size: p.pointSize } },
    encoding: {
      x: {
        field: 'ms',
        type: 'quantitative',
        title: p.xTitle,
        scale: x ? { type: 'log', domain: x, nice: false } : { type: 'log' },
        axis: ticks ? { format: ',~r', values: ticks.values } : { format: ',~r' },
      },
      y: {
        field: 'q',
        type: 'quantitative',
        title: 'Cumulative share (%)',
        scale: { domain: [0, 1] },
        axis: { format: '.0%' },
      },
      color: p.color,
      ...p.encoding,
      order: { field: 'q', type: 'quantitative' },
    },
  };
}
