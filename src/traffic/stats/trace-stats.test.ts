import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTrace } from '../traces/formats.js';
import { fixture } from '../traces/testkit.js';
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
    // A 6 s span has no busiest minute to compare with a mean per minute.
    expect(s.burstiness.busiest_minute_ratio).toBeNull();
    expect(s.burstiness.busiest_minute_requests).toBe(4);
  });

  it('says n/a, never NaN or Infinity, for short and one-row traces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-stats-'));
    const one = join(dir, 'one.jsonl');
    writeFileSync(one, '{"t_ms": 5, "prompt_tokens": 10, "output_tokens": 2}\n');
    const s1 = traceStats(openTrace(one, 'native'));
    expect(s1.rows).toBe(1);
    expect(s1.span_s).toBe(0);
    expect(s1.mean_rate_per_s).toBeNull();
    expect(s1.burstiness).toEqual({
      busiest_minute_ratio: null,
      busiest_minute_requests: 1,
      dispersion_per_second: null,
    });
    const text = formatStats('one.jsonl', 'native', s1);
    expect(text).toContain('rate      n/a (span 0 s)');
    expect(text).toContain('busiest minute n/a (span under a minute) (1 requests)');
    expect(text).toContain('index of dispersion per second n/a');
    expect(text).not.toMatch(/NaN|Infinity|0\.00x/);
    expect(JSON.stringify(s1)).not.toMatch(/NaN|Infinity/);

    // Two minutes and a bit: the ratio is defined again. Minutes [0,1): 3 rows, [1,2): 1, [2,3): 1.
    const long = join(dir, 'long.jsonl');
    const times = [0, 1000, 2000, 70_000, 125_000];
    writeFileSync(
      long,
      times.map((t) => `{"t_ms": ${t}, "prompt_tokens": 1, "output_tokens": 1}`).join('\n'),
    );
    const s2 = traceStats(openTrace(long, 'native'));
    expect(s2.burstiness.busiest_minute_ratio).toBeCloseTo(3 / (5 / (125 / 60)), 12);
    expect(s2.mean_rate_per_s).toBeCloseTo(5 / 125, 12);
  });

  it('prints a table a person can read', () => {
    const s = traceStats(openTrace(fixture('azure-small.csv'), 'azure'));
    const text = formatStats('azure-small.csv', 'azure', s);
    expect(text).toContain('rows      5');
    // numpy on [4808, 3180, 110, 7437, 1]: mean 3107.2, p50 3180, p90 6385.4, p99 7331.84
    expect(text).toMatch(/input\s+3,107\.2\s+3,180\s+6,385\s+7,332\s+7,437/);
    expect(s.prefix).toBeNull();
  });
});
