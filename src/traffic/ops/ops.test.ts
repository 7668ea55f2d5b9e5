import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceTraffic } from '../../core/types.js';
import { RngStreams } from '../../engine/rng.js';
import { createSource } from '../index.js';
import { drain, FIXTURES, traceTraffic } from '../traces/testkit.js';

// mooncake-small.jsonl: times 0, 0, 3000, 6000.
const trace = (over: Partial<TraceTraffic> = {}) => traceTraffic('mooncake-small.jsonl', 'mooncake', over);
const times = (t: TraceTraffic, horizon = Number.POSITIVE_INFINITY, seed = 1) =>
  drain(createSource(t, new RngStreams(seed), { horizon_ms: horizon, baseDir: FIXTURES })).map((r) => r.t_ms);

describe('trace operations (exact on fixtures)', () => {
  it('replays as recorded, paths relative to baseDir', () => {
    expect(times(trace())).toEqual([0, 0, 3000, 6000]);
  });

  it('speed divides times', () => {
    expect(times(trace({ speed: 2 }))).toEqual([0, 0, 1500, 3000]);
  });

  it('target_rate rescales to rows / span = the target (4 rows over 6 s to 2/s)', () => {
    const t = times(trace({ target_rate: 2 }));
    expect(t.map((x) => Math.round(x * 1e6) / 1e6)).toEqual([0, 0, 1000, 2000]);
  });

  it('window keeps [start, end) and shifts start to 0', () => {
    expect(times(trace({ window: { start_ms: 1000, end_ms: 6000 } }))).toEqual([2000]);
    expect(times(trace({ window: { start_ms: 0, end_ms: 6001 } }))).toEqual([0, 0, 3000, 6000]);
  });

  it('loop repeats shifted by the span until the horizon', () => {
    expect(times(trace({ loop: true }), 20_000)).toEqual([
      0, 0, 3000, 6000, 6000, 6000, 9000, 12000, 12000, 12000, 15000, 18000, 18000, 18000,
    ]);
    // With a window the period is the window's length.
    expect(times(trace({ loop: true, window: { start_ms: 0, end_ms: 5000 } }), 12_000)).toEqual([
      0, 0, 3000, 5000, 5000, 8000, 10000, 10000,
    ]);
    // Speed applies after the loop.
    expect(times(trace({ loop: true, speed: 2 }), 7000)).toEqual([
      0, 0, 1500, 3000, 3000, 3000, 4500, 6000, 6000, 6000,
    ]);
  });

  it('loop without a finite horizon is an error, not an endless stream', () => {
    expect(() => times(trace({ loop: true }))).toThrow(/loop needs a finite duration/);
  });

  it('sample keeps each row with the given probability, the same rows for the same seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routesim-sample-'));
    const p = join(dir, 'n.jsonl');
    writeFileSync(
      p,
      Array.from({ length: 10_000 }, (_, i) =>
        JSON.stringify({ t_ms: i, prompt_tokens: 1, output_tokens: 1 }),
      ).join('\n'),
    );
    const a = times(trace({ path: p, format: 'native', sample: 0.25 }), Number.POSITIVE_INFINITY, 5);
    expect(Math.abs(a.length - 2500)).toBeLessThan(200); // sd 43
    expect(times(trace({ path: p, format: 'native', sample: 0.25 }), Number.POSITIVE_INFINITY, 5)).toEqual(a);
    expect(
      times(trace({ path: p, format: 'native', sample: 0.25 }), Number.POSITIVE_INFINITY, 6),
    ).not.toEqual(a);
  });

  it('merges tenants by time, each record naming its tenant', () => {
    const src = createSource(
      {
        kind: 'merge',
        streams: [
          trace({ tenant: 'chat' }),
          trace({ path: 'azure-small.csv', format: 'azure' }), // 0, 0.0001, 52, 1520.04, 61000
        ],
      },
      new RngStreams(1),
      { horizon_ms: 10_000, baseDir: FIXTURES },
    );
    const rs = drain(src).map((r) => [Math.round(r.t_ms), r.tenant]);
    expect(rs).toEqual([
      [0, 'chat'],
      [0, 'azure-small'],
      [0, 'chat'],
      [0, 'azure-small'],
      [52, 'azure-small'],
      [1520, 'azure-small'],
      [3000, 'chat'],
      [6000, 'chat'],
    ]);
  });

  it('counts skipped rows through every operation and merge', () => {
    const bad = trace({ path: 'mooncake-bad.jsonl', on_bad_row: 'skip' });
    const one = createSource(bad, new RngStreams(1), { horizon_ms: 1e9, baseDir: FIXTURES });
    drain(one);
    expect(one.skipped).toBe(2);
    const both = createSource(
      { kind: 'merge', streams: [bad, { ...bad, path: 'azure-bad.csv', format: 'azure' }] },
      new RngStreams(1),
      {
        horizon_ms: 1e9,
        baseDir: FIXTURES,
      },
    );
    expect(drain(both).length).toBe(3 + 3);
    expect(both.skipped).toBe(4);
  });
});

describe('tenant names', () => {
  it('defaults to the file name, then stream-N, and stamps a lone stream that has one', async () => {
    const { tenantNames } = await import('../index.js');
    const syn = {
      kind: 'synthetic' as const,
      arrivals: { process: 'constant' as const, rate: 1, params: {} },
      requests: 2,
      prompt_tokens: { dist: 'fixed' as const, value: 1 },
      output_tokens: { dist: 'fixed' as const, value: 1 },
      sessions: null,
    };
    expect(tenantNames([trace(), syn, trace()])).toEqual(['mooncake-small', 'stream-2', 'mooncake-small#2']);
    const lone = drain(
      createSource({ ...syn, tenant: 'web' }, new RngStreams(1), { horizon_ms: 1e9, baseDir: FIXTURES }),
    );
    expect(lone.map((r) => [r.t_ms, r.tenant])).toEqual([
      [0, 'web'],
      [1000, 'web'],
    ]);
  });

  it('refuses a replay that lands past a year, or a loop that would replay more than 10^8 requests', () => {
    // Times 0, 0, 3000, 6000 at speed 1e-7 put the last row at 6e10 ms, past 365 d (3.15e10 ms).
    expect(() => times(trace({ speed: 1e-7 }))).toThrow(
      /replayed at 1e-7x, a row at 6000 ms lands at 60000000000 ms, past the 365d a run simulates/,
    );
    // A 6 s pass of 4 rows over 365 d is 5.26e6 passes, 2.1e7 rows: fine; at 10x speed it is 2.1e8.
    expect(() => times(trace({ loop: true, speed: 10 }), 365 * 86_400_000)).toThrow(
      /looping this trace \(6000 ms a pass\) over the horizon replays about 210000000 requests; a run creates at most 100000000/,
    );
  });
});
