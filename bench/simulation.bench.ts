/**
 * Whole-simulation throughput: simulated requests per wall-clock second for a Poisson scenario over 8
 * models with the ttft/tpot latency model, the real router (least_loaded) and full metrics — what
 * `routesim run` does minus loading and writing files. Target: >= 1,000,000 requests/s at 1M requests,
 * and peak RSS that does not grow with the number of requests (measured at 1M and 10M, each in a fresh
 * child process so one run's heap does not hide another's).
 *
 * The same for continuous batching with a prefix cache (batchingScenario), target >= 250,000 requests/s.
 *
 * `register()` declares mitata benches (100k / 50k-request runs); `report()` then measures the 1M runs
 * and the RSS figures in child processes and writes reports/bench/simulation.json. Run this file directly
 * for one measurement:
 * `node --import tsx bench/simulation.bench.ts [requests] [--workload=ttft_tpot|batching]`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bench, do_not_optimize, group } from 'mitata';
import { defaultModelSpec } from '../src/core/model-spec.js';
import type { ModelSpec } from '../src/core/types.js';
import { runScenario } from '../src/experiments/run-scenario.js';
import { defaultRouterSpec } from '../src/scenario/defaults.js';
import type { Scenario } from '../src/scenario/types.js';
import { writeResults } from './results.js';

export const NAME = 'simulation';

const MODELS = 8;

/** The benchmark scenario: 8 models × 64 slots at ~75% load (~150 req/s simulated). */
export function benchScenario(requests: number, seed = 1): Scenario {
  const model = (i: number): ModelSpec =>
    defaultModelSpec(`model-${i}`, {
      max_concurrency: 64,
      max_queue: 1024,
      latency: {
        model: 'ttft_tpot',
        ttft: { dist: 'lognormal', median: 200, p99: 900 },
        tpot: { dist: 'uniform', min: 15, max: 30 },
      },
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
 * 200k-token prefix LRU per model in 16-token blocks (12,500 blocks, vLLM's block size), and traffic whose
 * prompts share a 256-token system prompt: ~32 blocks per request, the first 16 shared (hits), the rest
 * fresh (misses, inserted, evicting). ~120 req/s simulated. Target: >= 250,000 requests/s.
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
      sessions: null,
    },
  };
}

/** Which benchmark scenario: the simple latency model, or continuous batching with a prefix cache. */
export type SimWorkload = 'ttft_tpot' | 'batching';

const SCENARIOS: Record<SimWorkload, (requests: number) => Scenario> = {
  ttft_tpot: benchScenario,
  batching: batchingScenario,
};

/** Requests per second each workload should reach (issue 7; batching raised to 300k by issue 15). */
export const TARGETS: Record<SimWorkload, number> = { ttft_tpot: 1_000_000, batching: 300_000 };

export interface SimMeasurement {
  workload: SimWorkload;
  requests: number;
  wall_ms: number;
  requests_per_s: number;
  /** Per second of process CPU time (less disturbed by a busy machine than wall time). */
  cpu_requests_per_s: number;
  events_per_s: number;
  peak_rss_mb: number;
}

/** One run in this process. */
export async function measureOnce(
  requests: number,
  workload: SimWorkload = 'ttft_tpot',
): Promise<SimMeasurement> {
  const c0 = process.cpuUsage();
  const { report, run } = await runScenario(SCENARIOS[workload](requests));
  const cpu = process.cpuUsage(c0);
  if (report.requests.completed !== requests)
    throw new Error(`bench: ${report.requests.completed} of ${requests} completed`);
  return {
    workload,
    requests,
    wall_ms: run.wall_ms,
    requests_per_s: run.requests_per_s,
    cpu_requests_per_s: Math.round(requests / ((cpu.user + cpu.system) / 1e6)),
    events_per_s: run.events_per_s,
    peak_rss_mb: run.peak_rss_mb,
  };
}

/** One run in a fresh child process (for an honest peak RSS). */
export function measureInChild(requests: number, workload: SimWorkload = 'ttft_tpot'): SimMeasurement {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), String(requests), '--json', `--workload=${workload}`],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as SimMeasurement;
}

export function register(): void {
  group('simulation: 8 models, least_loaded, Poisson', () => {
    bench('ttft/tpot, 100k requests', async () => {
      do_not_optimize(await runScenario(benchScenario(100_000)));
    });
    bench('batching + prefix cache, 50k requests', async () => {
      do_not_optimize(await runScenario(batchingScenario(50_000)));
    });
    // Router replicas add a table lookup and a local count per attempt, and 8 probe/health monitors:
    // compare with the 100k ttft/tpot run above.
    bench('ttft/tpot, 100k requests, 8 router replicas (view: local)', async () => {
      const s = benchScenario(100_000);
      s.router.replicas = { count: 8, split: 'round_robin', view: 'local' };
      do_not_optimize(await runScenario(s));
    });
  });
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

export async function report(): Promise<void> {
  const m1 = measureInChild(1_000_000);
  const m10 = measureInChild(10_000_000);
  const b1 = measureInChild(1_000_000, 'batching');
  const rows = [m1, m10, b1];
  console.log('\nwhole simulation (child processes)');
  for (const r of rows) {
    console.log(
      `  ${r.workload.padEnd(9)} ${r.requests.toLocaleString('en-US').padStart(11)} requests: ${fmt(r.requests_per_s)} req/s, ` +
        `${fmt(r.cpu_requests_per_s)} req/CPU-s, ${(r.wall_ms / 1000).toFixed(2)} s, peak RSS ${r.peak_rss_mb.toFixed(1)} MiB`,
    );
  }
  for (const r of [m1, b1]) {
    const target = TARGETS[r.workload];
    console.log(
      `  ${r.workload}: target >= ${fmt(target)} req/s: ${r.requests_per_s >= target ? 'met' : 'not met'}`,
    );
  }
  console.log(`  RSS 10M/1M (ttft_tpot) = ${(m10.peak_rss_mb / m1.peak_rss_mb).toFixed(2)}`);
  writeResults(NAME, { node: process.version, targets: TARGETS, runs: rows });
}

if (process.argv[1]?.endsWith('simulation.bench.ts') && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const w = process.argv.find((a) => a.startsWith('--workload='))?.slice('--workload='.length) ?? 'ttft_tpot';
  if (w !== 'ttft_tpot' && w !== 'batching') throw new Error(`--workload: ttft_tpot or batching, not ${w}`);
  const m = await measureOnce(n, w);
  if (process.argv.includes('--json')) console.log(JSON.stringify(m));
  else
    console.log(
      `${w} ${n.toLocaleString('en-US')} requests: ${fmt(m.requests_per_s)} req/s ` +
        `(${fmt(m.cpu_requests_per_s)} per CPU-second), ` +
        `${(m.wall_ms / 1000).toFixed(2)} s wall, ${fmt(m.events_per_s)} events/s, peak RSS ${m.peak_rss_mb} MiB`,
    );
}
