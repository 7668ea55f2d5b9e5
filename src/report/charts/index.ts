/**
 * The charts of a report, as a dispatch table: each entry builds one vega-lite spec from the report, or
 * null when the report has no data for it. `reportCharts` keeps the non-null ones, in reading order.
 */
import type { Report } from '../types.js';
import { affinityChart } from './affinity.js';
import { cacheChart } from './cache.js';
import { failuresChart } from './failures.js';
import { latencyCdfChart } from './latency-cdf.js';
import { loadChart } from './load.js';
import { quotaChart } from './quota.js';
import { shareChart } from './share.js';
import type { ChartBuilder, ChartSpec } from './style.js';

const REPORT_CHARTS: readonly ChartBuilder[] = [
  shareChart,
  loadChart,
  latencyCdfChart,
  failuresChart,
  quotaChart,
  cacheChart,
  affinityChart,
];

/** Every chart the report has data for; never throws on a well-formed report. */
export function reportCharts(report: Report): ChartSpec[] {
  return REPORT_CHARTS.map((build) => build(report)).filter((c): c is ChartSpec => c !== null);
}
