/**
 * Traffic benchmarks: rows per second for each trace reader (one full streaming read of a file per
 * iteration) and for the Poisson generator with lengths (100,000 records per iteration). The Azure and
 * Mooncake files are the recorded traces shipped in data/; burstgpt, csv and native inputs are generated
 * into the OS temp folder at registration. Writes reports/bench/traffic.json.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bench, do_not_optimize, group } from 'mitata';
import type { SyntheticTraffic } from '../src/core/types.js';
import { RngStreams } from '../src/engine/rng.js';
import { writeNative } from '../src/traffic/convert.js';
import { createSource } from '../src/traffic/index.js';
import type { RequestSource } from '../src/traffic/source.js';
import { openTrace, type TraceFormat } from '../src/traffic/traces/formats.js';
import { writeResults } from './results.js';

export const NAME = 'traffic';

const DATA = resolve(import.meta.dirname, '..', 'data');
const GENERATED_ROWS = 20_000;
const POISSON_ROWS = 100_000;

interface Input {
  name: string;
  path: string;
  format: TraceFormat;
  columns?: Record<string, string>;
  rows: number;
}
const inputs: Input[] = [];

function drain(src: RequestSource): number {
  let n = 0;
  for (let r = src.next(); r !== null; r = src.next()) n++;
  return n;
}

function makeInputs(): void {
  const dir = mkdtempSync(join(tmpdir(), 'routesim-bench-'));
  const burst = join(dir, 'burstgpt.csv');
  const csv = join(dir, 'generic.csv');
  const b = ['Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type'];
  const c = ['ts_ms,user,in,out'];
  for (let i = 0; i < GENERATED_ROWS; i++) {
    b.push(
      `${(i * 0.37).toFixed(2)},${i % 3 ? 'ChatGPT' : 'GPT-4'},${100 + (i % 900)},${i % 300},${400 + i},Conversation log`,
    );
    c.push(`${i * 370},u${i % 97},${100 + (i % 900)},${i % 300}`);
  }
  writeFileSync(burst, `${b.join('\n')}\n`);
  writeFileSync(csv, `${c.join('\n')}\n`);
  const native = join(dir, 'native.jsonl');
  const nativeRows = writeNative(openTrace(join(DATA, 'mooncake-conversation.jsonl'), 'mooncake'), native);
  inputs.push(
    { name: 'azure', path: join(DATA, 'azure-2023-code.csv'), format: 'azure', rows: 8819 },
    { name: 'mooncake', path: join(DATA, 'mooncake-conversation.jsonl'), format: 'mooncake', rows: 12031 },
    { name: 'burstgpt', path: burst, format: 'burstgpt', rows: GENERATED_ROWS },
    {
      name: 'csv',
      path: csv,
      format: 'csv',
      columns: { time: 'ts_ms', time_unit: 'ms', prompt: 'in', output: 'out', session: 'user' },
      rows: GENERATED_ROWS,
    },
    { name: 'native', path: native, format: 'native', rows: nativeRows },
  );
}

const poisson: SyntheticTraffic = {
  kind: 'synthetic',
  arrivals: { process: 'poisson', rate: 100, params: {} },
  requests: POISSON_ROWS,
  prompt_tokens: { dist: 'lognormal', median: 600, p99: 4000 },
  output_tokens: { dist: 'exponential', mean: 200 },
  sessions: null,
};

export function register(): void {
  makeInputs();
  group('trace readers (one full file per iteration)', () => {
    for (const i of inputs) {
      bench(`read ${i.name} (${i.rows} rows)`, () =>
        do_not_optimize(drain(openTrace(i.path, i.format, { columns: i.columns ?? null }))),
      );
    }
  });
  group('synthetic', () => {
    bench(`poisson (${POISSON_ROWS} rows)`, () =>
      do_not_optimize(
        drain(
          createSource(poisson, new RngStreams(1), { horizon_ms: Number.POSITIVE_INFINITY, baseDir: '.' }),
        ),
      ),
    );
  });
}

interface Trial {
  runs: { name: string; stats?: { avg: number; p50: number } }[];
}

export function report(results: { benchmarks: Trial[] }): void {
  const rows: { name: string; rows: number; mean_ms: number; rows_per_s: number }[] = [];
  for (const t of results.benchmarks) {
    for (const run of t.runs) {
      const m = /^(?:read )?(\w+) \((\d+) rows\)$/.exec(run.name);
      if (!m || !run.stats) continue;
      const n = Number(m[2]);
      rows.push({ name: m[1], rows: n, mean_ms: run.stats.avg / 1e6, rows_per_s: n / (run.stats.avg / 1e9) });
    }
  }
  console.log('\ntraffic rows per second');
  for (const r of rows)
    console.log(`  ${r.name.padEnd(10)} ${Math.round(r.rows_per_s).toLocaleString('en-US').padStart(12)}`);
  writeResults(NAME, { bench: NAME, node: process.version, arch: process.arch, results: rows });
}
