import { describe, expect, it } from 'vitest';
import type { CompareResult, MetricSummary } from '../aggregate.js';
import { compareBarsChart } from './bars.js';

const QUEUE = {
  path: 'latency.queue_ms.p99',
  label: 'Queue p99',
  better: 'lower',
  unit: 'ms',
  rel_tol: 0.1,
  abs_tol: 5,
} as const;

function summary(values: number[], low: number, high: number): MetricSummary {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { n: values.length, mean, stddev: 0, half_width: (high - low) / 2, low, high, values };
}

function result(results: CompareResult['results']): CompareResult {
  return {
    scenario: 's',
    version: '0',
    base_seed: 1,
    replications: 10,
    seeds: [],
    rank_by: QUEUE.path,
    variants: Object.keys(results).map((name) => ({ name, overrides: {} })),
    metrics: [{ ...QUEUE }],
    results,
    differences: {},
    ranking: [],
    cdf: { quantiles: [], e2e_ms: {} },
  };
}

type Row = { variant: string; mean: number; low: number; high: number };

function spec(r: CompareResult): { data: { values: Row[] }; title?: unknown } {
  const chart = compareBarsChart(r);
  if (chart === null) throw new Error('no chart');
  return chart.spec as unknown as { data: { values: Row[] }; title?: unknown };
}
const rows = (r: CompareResult): Row[] => spec(r).data.values;
const subtitle = (r: CompareResult): string => JSON.stringify(spec(r).title);

describe('compare bars: error bars of metrics that are never negative', () => {
  it('cut at 0 where the interval reaches below it (quickstart: queue p99 9.8e-5 ± 1.5e-4 ms), and says so', () => {
    const r = result({
      round_robin: { [QUEUE.path]: summary([4600, 4584], 4450.9, 4733.1) },
      least_loaded: { [QUEUE.path]: summary([0.000492, 0], -0.00005, 0.000247) },
    });
    const [rr, ll] = rows(r);
    expect(rr).toMatchObject({ low: 4450.9, high: 4733.1 });
    expect(ll.low).toBe(0);
    expect(ll.high).toBe(0.000247);
    expect(subtitle(r)).toContain('Student-t 95% CI, cut at 0');
  });

  it('left as they are when no interval crosses 0', () => {
    const r = result({ a: { [QUEUE.path]: summary([10, 12], 9, 13) } });
    expect(rows(r)[0]).toMatchObject({ low: 9, high: 13 });
    expect(subtitle(r)).not.toContain('cut at 0');
  });
});

describe('axes', () => {
  it('gives each panel its own variant axis: a shared one hung under the empty cell of a short last row', () => {
    const chart = compareBarsChart(result({ a: { [QUEUE.path]: summary([5, 7], 4, 8) } }));
    const resolve = (chart!.spec as { resolve: { axis?: { x?: string } } }).resolve;
    expect(resolve.axis?.x).toBe('independent');
  });
});
