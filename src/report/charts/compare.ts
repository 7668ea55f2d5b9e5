/** The charts of a comparison, in reading order (null builders skipped, as for a report). */
import type { CompareResult } from '../compare-aggregate.js';
import { compareBarsChart } from './compare-bars.js';
import { compareCdfChart } from './compare-cdf.js';
import type { ChartSpec } from './style.js';

export function compareCharts(result: CompareResult): ChartSpec[] {
  return [compareBarsChart(result), compareCdfChart(result)].filter((c): c is ChartSpec => c !== null);
}
