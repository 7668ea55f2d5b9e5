/**
 * The recorded traces shipped in data/ replay with every row accounted for, and
 * `routesim trace stats` reproduces the figures in that folder's README.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TraceTraffic } from '../src/core/types.js';
import { RngStreams } from '../src/engine/rng.js';
import { createSource } from '../src/traffic/index.js';
import type { TraceStats } from '../src/traffic/stats/trace-stats.js';
import { traceTraffic } from '../src/traffic/traces/testkit.js';
import { runCli } from './testkit.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(ROOT, 'data');
const AZURE = join(DATA, 'azure-2023-code.csv');
const MOONCAKE = join(DATA, 'mooncake-conversation.jsonl');

function replay(path: string, format: TraceTraffic['format']) {
  const src = createSource(traceTraffic(path, format), new RngStreams(1), {
    horizon_ms: Number.POSITIVE_INFINITY,
    baseDir: ROOT,
  });
  let rows = 0;
  let last = 0;
  let ordered = true;
  let blocksOk = true;
  let blockZeroFirst = true;
  for (let r = src.next(); r !== null; r = src.next()) {
    if (r.t_ms < last) ordered = false;
    last = r.t_ms;
    rows++;
    if (r.prefix_blocks) {
      if (r.prefix_blocks.length !== Math.ceil(r.prompt_tokens / 512)) blocksOk = false;
      if (r.prefix_blocks[0] !== 0) blockZeroFirst = false;
    }
  }
  return { rows, last, ordered, blocksOk, blockZeroFirst, skipped: src.skipped ?? 0 };
}

/** Data lines of a file counted independently of the readers: non-blank lines, less a header. */
function dataLines(path: string, header: boolean): number {
  const n = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '').length;
  return header ? n - 1 : n;
}

async function stats(path: string): Promise<TraceStats> {
  const r = await runCli(['trace', 'stats', path, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as TraceStats;
}

describe('the recorded traces replay in full', () => {
  it('Azure code: 8,819 rows, none skipped, in time order, over 3,436 s', () => {
    const r = replay(AZURE, 'azure');
    expect(r.rows).toBe(8819);
    expect(r.rows).toBe(dataLines(AZURE, true));
    expect(r.skipped).toBe(0);
    expect(r.ordered).toBe(true);
    expect(Math.round(r.last / 1000)).toBe(3436);
  });

  it('Mooncake conversation: 12,031 rows, ceil(input / 512) blocks each, block 0 first', () => {
    const r = replay(MOONCAKE, 'mooncake');
    expect(r.rows).toBe(12031);
    expect(r.rows).toBe(dataLines(MOONCAKE, false));
    expect(r.skipped).toBe(0);
    expect(r.ordered).toBe(true);
    expect(r.blocksOk).toBe(true);
    expect(r.blockZeroFirst).toBe(true);
    expect(Math.round(r.last / 1000)).toBe(3537);
  });
});

describe('trace stats agrees with data/README.md', () => {
  it('Azure code: 3,436 s, 2.57 req/s, busiest minute 4.1x; input 2048 / 1469 / 7436; output 27.9 / 13 / 251', async () => {
    const s = await stats(AZURE);
    expect(s.rows).toBe(8819);
    expect(Math.round(s.span_s)).toBe(3436);
    expect(s.mean_rate_per_s?.toFixed(2)).toBe('2.57');
    expect(s.burstiness.busiest_minute_ratio?.toFixed(1)).toBe('4.1');
    expect(Math.round(s.input_tokens.mean)).toBe(2048);
    expect(s.input_tokens.p50).toBe(1469);
    expect(Math.round(s.input_tokens.p99)).toBe(7436);
    expect(s.output_tokens.mean.toFixed(1)).toBe('27.9');
    expect(s.output_tokens.p50).toBe(13);
    expect(Math.round(s.output_tokens.p99)).toBe(251);
    expect(s.burstiness.dispersion_per_second).toBeGreaterThan(1); // bursty, not Poisson
    expect(s.prefix).toBeNull();
  });

  it('Mooncake conversation: 3,537 s, 3.40 req/s; input 12,035 / p99 85,400; output 343; 36.6% prefix reuse', async () => {
    const s = await stats(MOONCAKE);
    expect(s.rows).toBe(12031);
    expect(Math.round(s.span_s)).toBe(3537);
    expect(s.mean_rate_per_s?.toFixed(2)).toBe('3.40');
    expect(Math.round(s.input_tokens.mean)).toBe(12035);
    expect(Math.round(s.input_tokens.p99 / 100) * 100).toBe(85400);
    expect(Math.round(s.output_tokens.mean)).toBe(343);
    expect(((s.prefix?.reuse_share ?? 0) * 100).toFixed(1)).toBe('36.6');
  });

  it('--json writes numbers to 6 decimals, without float noise (span 3435.948056 s, input p90 5187.6)', async () => {
    const r = await runCli(['trace', 'stats', AZURE, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as TraceStats;
    expect(s.span_s).toBe(3435.948056); // 3435.9480559999997 before rounding
    expect(s.input_tokens.p90).toBe(5187.6); // 5187.5999999999985
    expect(s.output_tokens.p99).toBe(251.46); // 251.45999999999913
    expect(s.mean_rate_per_s).toBe(2.566686);
    // No number in the output has more than 6 decimals.
    expect(r.out).not.toMatch(/\d\.\d{7,}/);
  });

  it('prints the same figures as text, detecting the format', async () => {
    const r = await runCli(['trace', 'stats', AZURE]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('(azure)');
    expect(r.out).toContain('rows      8,819');
    expect(r.out).toContain('busiest minute 4.1x the mean'); // as data/README.md says it
    expect(r.out).toMatch(/input\s+2,047\.8\s+1,469\s+5,188\s+7,436\s+7,437/);
  });

  it('converts to native with nothing lost: the native file has the same stats', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'routesim-convert-')), 'mooncake.jsonl');
    const r = await runCli(['trace', 'convert', MOONCAKE, '--to', 'native', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('wrote 12,031 records (mooncake -> native)');
    const a = await stats(MOONCAKE);
    const b = await stats(out);
    expect({ ...b, file: '', format: '' }).toEqual({ ...a, file: '', format: '' });
  });

  it('exits 2 with a clear message for an unknown format', async () => {
    const r = await runCli(['trace', 'stats', join(DATA, 'README.md')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot tell the format.*--format/);
  });
});
