import { describe, expect, it } from 'vitest';
import { openTrace } from '../traces/formats.js';
import { fixture } from '../traces/test-helpers.js';
import { formatStats } from './format-stats.js';
import { traceStats } from './trace-stats.js';

describe('traceStats', () => {
  it('measures the mooncake fixture exactly', () => {
    const s = traceStats(openTrace(fixture('mooncake-small.jsonl'), 'mooncake'));
    expect(s.rows).toBe(4);
    expect(s.span_s).toBe(6);
    expect(s.mean_rate_per_s).toBeCloseTo(4 / 6, 12);
    expect(s.input_tokens).toEqual({
      mean: (600 + 1100 + 512 + 1600) / 4,
      p50: 850,
      p90: 1450,
      p99: 1585,
      max: 1600,
    });
    // Blocks 0,1 | 0,1,2 | 3 | 0,1,2,4: 10 occurrences, 5 repeat an earlier one.
    expect(s.prefix).toEqual({ blocks: 10, repeated: 5, reuse_share: 0.5, distinct: 5 });
    // Arrivals per second over the 7 seconds of the span: [2, 0, 0, 1, 0, 0, 1].
    const mean = 4 / 7;
    const variance = (4 + 1 + 1) / 7 - mean * mean;
    expect(s.burstiness.dispersion_per_second).toBeCloseTo(variance / mean, 12);
    // All 4 in the first minute; mean per minute 4 / 0.1.
    expect(s.burstiness.busiest_minute_ratio).toBeCloseTo(0.1, 12);
  });

  it('prints a table a person can read', () => {
    const s = traceStats(openTrace(fixture('azure-small.csv'), 'azure'));
    const text = formatStats('azure-small.csv', 'azure', s);
    expect(text).toContain('rows      5');
    // numpy on [4808, 3180, 110, 7437, 1]: mean 3107.2, p50 3180, p90 6385.4, p99 7331.84
    expect(text).toMatch(/input\s+3107\.2\s+3180\s+6385\s+7332\s+7,437/);
    expect(s.prefix).toBeNull();
  });
});
