/**
 * The sweep's heatmap: the chosen metric's mean over replications on a grid of two axes (the second
 * --set along x, the first down y, in the order given); further axes become one panel each. With a single
 * axis the grid is one row. Values are printed in the cells when the grid is small enough to read them.
 */
import { num, precisionOf } from '../../core/format.js';
import type { ChartSpec, VlSpec } from '../../report/charts/style.js';
import { topLevel } from '../../report/charts/style.js';
import { metricTitle } from '../../report/check-metrics.js';
import type { SweepResult } from './sweep.js';

const NAME = 'sweep-heatmap';

/** Cells with printed values up to this many columns; beyond, the colour alone carries the value. */
const MAX_LABELLED_COLUMNS = 12;

/**
 * Cell size (px) for `n` cells sharing about `span` px, between 28 and `most`: a small grid gets cells large
 * enough to fill a readable plot (3 × 3 cells of 28 px left the axis titles towering over an 84 px plot, in
 * a mostly empty canvas), a large one stays legible at 28 px.
 */
export function cellStep(span: number, n: number, most: number): number {
  return Math.max(28, Math.min(most, Math.floor(span / Math.max(1, n))));
}

export function sweepHeatmap(result: SweepResult): ChartSpec | null {
  const { axes, metric, metrics, replications } = result.definition;
  const def = metrics.find((m) => m.path === metric);
  const label = def ? metricTitle(def) : metric;
  const xAxis = axes.length >= 2 ? axes[1] : axes[0];
  const yAxis = axes.length >= 2 ? axes[0] : null;
  const values = result.variants.flatMap((v) => {
    const s = result.results[v.name]?.[metric];
    if (!s) return [];
    return [
      {
        x: axes.length >= 2 ? v.coords[1] : v.coords[0],
        y: axes.length >= 2 ? v.coords[0] : label,
        panel: axes
          .slice(2)
          .map((a, i) => `${a.key}=${v.coords[i + 2]}`)
          .join(' '),
        mean: s.mean,
        text: num(s.mean, precisionOf(def?.unit ?? '')),
      },
    ];
  });
  if (values.length === 0) return null;
  const better =
    def?.better === 'lower' ? 'lower is better' : def?.better === 'higher' ? 'higher is better' : '';
  const encoding: VlSpec = {
    x: {
      field: 'x',
      type: 'ordinal',
      sort: xAxis.values,
      title: xAxis.key,
      axis: { labelAngle: xAxis.values.some((v) => v.length > 6) ? -40 : 0 },
    },
    y: yAxis
      ? { field: 'y', type: 'ordinal', sort: yAxis.values, title: yAxis.key }
      : { field: 'y', type: 'ordinal', title: null },
  };
  const layers: VlSpec[] = [
    {
      mark: { type: 'rect' },
      encoding: {
        color: {
          field: 'mean',
          type: 'quantitative',
          title: label,
          // Dark = worse for lower-is-better metrics; the legend says which way is good.
          scale: { scheme: 'viridis', reverse: def?.better === 'lower' },
          legend: { orient: 'right', titleLimit: 260 },
        },
        tooltip: [
          { field: 'y', title: yAxis?.key ?? 'metric' },
          { field: 'x', title: xAxis.key },
          { field: 'mean', title: label, format: '.4~g' },
        ],
      },
    },
  ];
  if (xAxis.values.length <= MAX_LABELLED_COLUMNS) {
    // White text on the dark half of the scale, black on the light half.
    const means = values.map((v) => v.mean);
    const mid = (Math.min(...means) + Math.max(...means)) / 2;
    const darkTest = def?.better === 'lower' ? `datum.mean > ${mid}` : `datum.mean < ${mid}`;
    layers.push({
      mark: { type: 'text', fontSize: 11 },
      encoding: {
        text: { field: 'text' },
        color: { condition: { test: darkTest, value: 'white' }, value: '#111' },
      },
    });
  }
  const inner: VlSpec = {
    width: { step: cellStep(720, xAxis.values.length, 120) },
    height: { step: cellStep(320, yAxis?.values.length ?? 1, 64) },
    encoding,
    layer: layers,
  };
  const title = `Sweep: ${def?.label ?? metric} over ${yAxis ? `${yAxis.key} × ` : ''}${xAxis.key}`;
  const subtitle = `mean of ${replications} replication${replications === 1 ? '' : 's'}${better ? `; ${better}` : ''}`;
  const body: VlSpec =
    axes.length > 2
      ? {
          data: { values },
          facet: {
            row: {
              field: 'panel',
              type: 'nominal',
              title: null,
              header: { labelAngle: 0, labelAlign: 'left' },
            },
          },
          spec: inner,
        }
      : { data: { values }, ...inner };
  return { name: NAME, title, spec: topLevel(title, body, subtitle) };
}
