/**
 * Whole-simulation throughput: simulated requests per wall-clock second for a Poisson scenario over 8
 * models with the ttft/tpot latency model, the real router (least_loaded) and full metrics — what
 * `routesim run` does minus loading and writing files. Target: >= 1,000,000 requests/s at 1M requests,
 * and peak RSS that does not grow with the number of requests (measured at 1M and 10M, each in a fresh
 * child process so one run's heap does not hide another's).
 *
 * `register()` declares a mitata bench (100k-request runs); `report()` then measures the 1M run and the
 * RSS figures in child processes and writes reports/bench/simulation.json. Run this file directly for
 * one measurement: `node --import tsx bench/simulation.bench.ts [requests]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bench, do_not_optimize, group } from 'mitata';
import { defaultRouterSpec } from '../src/scenario/defaults.js';
import type { ModelSpec, Scenario } from '../src/scenario/types.js';
import { runScenario } from '../src/sim/index.js';

export const NAME = 'simulation';

const MODELS = 8;

/** The benchmark scenario: 8 models × 64 slots at ~75% load (~150 req/s simulated). */
export function benchScenario(requests: number, seed = 1): Scenario {
  const model = (i: number): ModelSpec => ({
    id: `model-${i}`,
    backend: 'sim',
    max_concurrency: 64,
    max_queue: 1024,
    latency: {
      model: 'ttft_tpot',
      ttft: { dist: 'lognormal', median: 200, p99: 900 },
      tpot: { dist: 'uniform', min: 15, max: 30 },
    },
    cache: { kind: 'none' },
    quota: null,
    health: 'healthy',
    failure_rate: 0,
    weight: 1,
    cost_per_1k_tokens: 0,
    context_length: Number.POSITIVE_INFINITY,
    capabilities: [],
    gguf: null,
  });
  return {
    file: '',
    name: 'bench-8-models-ttft-tpot',
    seed,
    horizon_ms: Number.POSITIVE_INFINITY,
    router: { ...defaultRouterSpec(), strategy: 'least_loaded', max_load_threshold: 4 },
    models: Array.from({ length: MODELS }, (_, i) => model(i)),
    traffic: {
      kind: 'synthetic',
      arrivals: { process: 'poisson', rate: 150, params: {} },
      requests,
      prompt_tokens: { dist: 'lognormal', median: 512, p99: 4096 },
      output_tokens: { dist: 'exponential', mean: 100 },
      sessions: null,
    },
    events: [],
    expect: [],
    variants: [],
    // Coarse buckets: the timeline grows with simulated time (10M requests ≈ 18 simulated hours).
    timeline_interval_ms: 60_000,
  };
}

/**
 * The continuous-batching benchmark: the same 8 models with `batching` latency (max_batch 64) and a
 * 200k-token prefix LRU in 16-token blocks, and traffic that shares prefixes: a 256-token system prompt
 * and 2,000 Zipf-popular sessions of ~3 turns whose prompts grow by the previous turn (~120 req/s
 * simulated). Target: >= 250,000 requests/s.
 */
export function batchingScenario(requests: number, seed = 1): Scenario {
  const base = benchScenario(requests, seed);
  return {
    ...base,
    name: 'bench-8-models-batching-prefix',
    models: base.models.map((m) => ({
      ...m,
      latency: {
        model: 'batching',
        prefill_per_token_ms: 0.02,
        decode_step_ms: 8,
        slowdown: 0.02,
        max_batch: 64,
      },
      cache: { kind: 'prefix', capacity_tokens: 200_000, block_tokens: 16 },
    })),
    traffic: {
      kind: 'synthetic',
      arrivals: { process: 'poisson', rate: 120, params: {} },
      requests,
      prompt_tokens: { dist: 'lognormal', median: 256, p99: 2048 },
      output_tokens: { dist: 'exponential', mean: 100 },
      shared_prefix_tokens: 256,
      block_tokens: 16,
      sessions: {
        count: 2000,
        popularity: 'zipf',
        zipf_s: 1.1,
        turns: { dist: 'geometric', mean: 3 },
        think_time_ms: { dist: 'exponential', mean: 20_000 },
      },
    },
  };
}

export interface SimMeasurement {
  requests: number;
  wall_ms: number;
  requests_per_s: number;
  /** Per second of process CPU time (less disturbed by a busy machine than wall time). */
  cpu_requests_per_s: number;
  events_per_s: number;
  peak_rss_mb: number;
}

/** One run in this process. */
export async function measureOnce(requests: number): Promise<SimMeasurement> {
  const c0 = process.cpuUsage();
  const { report, run } = await runScenario(benchScenario(requests));
  const cpu = process.cpuUsage(c0);
  if (report.requests.completed !== requests)
    throw new Error(`bench: ${report.requests.completed} of ${requests} completed`);
  return {
    requests,
    wall_ms: run.wall_ms,
    requests_per_s: run.requests_per_s,
    cpu_requests_per_s: Math.round(requests / ((cpu.user + cpu.system) / 1e6)),
    events_per_s: run.events_per_s,
    peak_rss_mb: run.peak_rss_mb,
  };
}

/** One run in a fresh child process (for an honest peak RSS). */
export function measureInChild(requests: number): SimMeasurement {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), String(requests), '--json'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as SimMeasurement;
}

export function register(): void {
  group('simulation: 8 models, ttft/tpot, least_loaded, Poisson', () => {
    bench('100k requests', async () => {
      do_not_optimize(await runScenario(benchScenario(100_000)));
    });
  });
}

export async function report(): Promise<void> {
  const m1 = measureInChild(1_000_000);
  const m10 = measureInChild(10_000_000);
  const rows = [m1, m10];
  console.log('\nwhole simulation (child processes)');
  for (const r of rows) {
    console.log(
      `  ${r.requests.toLocaleString('en-US').padStart(11)} requests: ${Math.round(r.requests_per_s).toLocaleString('en-US')} req/s, ` +
        `${Math.round(r.cpu_requests_per_s).toLocaleString('en-US')} req/CPU-s, ${(r.wall_ms / 1000).toFixed(2)} s, peak RSS ${r.peak_rss_mb.toFixed(1)} MiB`,
    );
  }
  console.log(
    `  target >= 1,000,000 req/s: ${m1.requests_per_s >= 1_000_000 ? 'met' : 'not met'}; RSS 10M/1M = ${(m10.peak_rss_mb / m1.peak_rss_mb).toFixed(2)}`,
  );
  mkdirSync('reports/bench', { recursive: true });
  writeFileSync(
    'reports/bench/simulation.json',
    `${JSON.stringify({ node: process.version, runs: rows }, null, 2)}\n`,
  );
}

if (process.argv[1]?.endsWith('simulation.bench.ts') && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const m = await measureOnce(n);
  if (process.argv.includes('--json')) console.log(JSON.stringify(m));
  else
    console.log(
      `${n.toLocaleString('en-US')} requests: ${m.requests_per_s.toLocaleString('en-US')} req/s ` +
        `(${m.cpu_requests_per_s.toLocaleString('en-US')} per CPU-second), ` +
        `${(m.wall_ms / 1000).toFixed(2)} s wall, ${m.events_per_s.toLocaleString('en-US')} events/s, peak RSS ${m.peak_rss_mb} MiB`,
    );
}
