/** The charts of a comparison, in reading order (null builders skipped, as for a report). */

import type { ChartSpec } from '../../../report/charts/style.js';
import type { CompareResult } from '../aggregate.js';
import { compareBarsChart } from './bars.js';
import { compareCdfChart } from './cdf.js';

export function compareCharts(result: CompareResult): ChartSpec[] {
  return [compareBarsChart(result), compareCdfChart(result)].filter((c): c is ChartSpec => c !== null);
}
