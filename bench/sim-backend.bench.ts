/**
 * Simulated-backend throughput: submit + complete per latency model, 8 models, Poisson arrivals spread
 * round-robin, with the engine and a counting host (no router, no metrics): the backends' share of the
 * whole simulator's budget. A BenchModule for bench/index.ts (NAME, register, report: prints requests/s
 * and writes reports/bench/sim-backend.json); run this file directly for requests per second at 1M
 * requests. Target share: the whole simulator must reach 1M req/s (ttft_tpot) and 250k req/s
 * (batching + prefix cache), so these numbers should sit well above that.
 */
import { cpus, loadavg } from 'node:os';
import { bench, group } from 'mitata';
import type { AttemptOutcome, AttemptSpec, Backend, BackendHost } from '../src/backends/backend.js';
import { SimCluster } from '../src/backends/sim/index.js';
import { defaultModelSpec } from '../src/core/model-spec.js';
import type { CacheModel, LatencyModel, ModelSpec } from '../src/core/types.js';
import { Engine, type EventTarget } from '../src/engine/engine.js';
import { RngStreams, type SeededRng } from '../src/engine/rng.js';
import { loadLine, writeResults } from './results.js';

export const NAME = 'sim-backend';
const MODELS = 8;

export interface Workload {
  name: string;
  latency: LatencyModel;
  cache: CacheModel;
  max_concurrency: number;
  /** Arrivals per ms over all models. */
  rate_per_ms: number;
}

export const WORKLOADS: Workload[] = [
  {
    name: 'ttft_tpot',
    latency: {
      model: 'ttft_tpot',
      ttft: { dist: 'lognormal', median: 200, p99: 900 },
      tpot: { dist: 'uniform', min: 15, max: 30 },
    },
    cache: { kind: 'none' },
    max_concurrency: 64,
    // ~2.5 s per request × 64 slots × 8 models ≈ 205/s at full load; run at ~75%.
    rate_per_ms: 0.15,
  },
  {
    name: 'service',
    latency: { model: 'service', service: { dist: 'exponential', mean: 100 } },
    cache: { kind: 'fixed', hit_rate: 0.5 },
    max_concurrency: 16,
    rate_per_ms: 1,
  },
  {
    name: 'batching+prefix',
    latency: {
      model: 'batching',
      prefill_per_token_ms: 0.02,
      decode_step_ms: 8,
      slowdown: 0.02,
      max_batch: 64,
    },
    cache: { kind: 'prefix', capacity_tokens: 200_000, block_tokens: 16 },
    max_concurrency: 64,
    rate_per_ms: 0.2,
  },
];

/**
 * Prompts of 32 blocks (512 tokens): 5,000 prompts, each a system prompt shared by its group of 25 (16
 * blocks) and its own 16 blocks. 83,200 distinct blocks against a 12,500-block cache: hits and evictions.
 * Built once and shared, so the bench itself allocates nothing per request.
 */
const PROMPTS: number[][] = Array.from({ length: 5000 }, (_, p) =>
  Array.from({ length: 32 }, (_, b) => (b < 16 ? (p % 200) * 100 + b : 1_000_000 + p * 100 + b)),
);

class Counter implements BackendHost {
  completed = 0;
  errors = 0;
  constructor(private readonly engine: Engine) {}
  now(): number {
    return this.engine.now();
  }
  complete(o: AttemptOutcome): void {
    if (o.kind === 'ok') this.completed++;
    else this.errors++;
  }
}

class Arrivals implements EventTarget {
  private readonly target: number;
  private readonly spec: AttemptSpec = { id: 0, prompt_tokens: 512, output_tokens: 100 };
  private n = 0;
  rejected = 0;
  constructor(
    private readonly engine: Engine,
    private readonly backends: Backend[],
    private readonly rng: SeededRng,
    private readonly meanGap: number,
    private readonly total: number,
    private readonly prefix: boolean,
  ) {
    this.target = engine.register(this);
    // Arrivals in the engine's lane, as the simulation driver has them (no heap work for the stream).
    engine.scheduleLaneAt(0, this.target, 0, 0);
  }
  onEvent(): void {
    const s = this.spec;
    const r = this.rng.next();
    s.id = this.n;
    s.output_tokens = 20 + Math.floor(r * 160);
    if (this.prefix) s.prefix_blocks = PROMPTS[Math.floor(r * 7919) % PROMPTS.length];
    if (this.backends[this.n % MODELS].submit(s) !== 'accepted') this.rejected++;
    if (++this.n < this.total) {
      const gap = -this.meanGap * Math.log(1 - this.rng.next());
      this.engine.scheduleLaneAt(this.engine.now() + gap, this.target, 0, 0);
    }
  }
}

function spec(w: Workload, i: number): ModelSpec {
  return defaultModelSpec(`m${i}`, {
    max_concurrency: w.max_concurrency,
    max_queue: 100_000,
    latency: w.latency,
    cache: w.cache,
    failure_rate: 0.001,
  });
}

/** Simulate `requests` arrivals of workload `w` to the end; returns the completed count. */
export function simulate(
  w: Workload,
  requests: number,
  seed = 1,
): { completed: number; events: number; cluster: SimCluster } {
  const engine = new Engine();
  const host = new Counter(engine);
  const streams = new RngStreams(seed);
  const cluster = new SimCluster(
    Array.from({ length: MODELS }, (_, i) => spec(w, i)),
    engine,
    host,
    streams,
  );
  const backends = Array.from({ length: MODELS }, (_, i) => cluster.backend(i));
  new Arrivals(
    engine,
    backends,
    streams.get('arrivals'),
    1 / w.rate_per_ms,
    requests,
    w.cache.kind === 'prefix',
  );
  const events = engine.run();
  return { completed: host.completed + host.errors, events, cluster };
}

/** Requests per mitata sample: large enough that setup is noise, small enough for many samples. */
const PER_SAMPLE = 50_000;

/** Declare the mitata benches: one per workload, PER_SAMPLE requests each. */
export function register(): void {
  group(
    `sim backends: submit + complete, ${MODELS} models, ${PER_SAMPLE / 1000}k requests per sample`,
    () => {
      for (const w of WORKLOADS) bench(`sim ${w.name}`, () => simulate(w, PER_SAMPLE));
    },
  );
}

interface Trial {
  runs: { name: string; stats?: { avg: number; p50: number } }[];
}

/** Simulated requests per second of process CPU time (less disturbed by a busy machine than wall time). */
export function cpuThroughput(w: Workload, requests: number): number {
  simulate(w, 20_000);
  const c0 = process.cpuUsage();
  simulate(w, requests);
  const c = process.cpuUsage(c0);
  return requests / ((c.user + c.system) / 1e6);
}

/** Print requests/s per workload (mitata wall median and CPU time) with the targets; write JSON. */
export async function report(results: { benchmarks: Trial[] }): Promise<void> {
  const rows = WORKLOADS.map((w) => {
    let wall = Number.NaN;
    for (const t of results.benchmarks) {
      for (const r of t.runs)
        if (r.name === `sim ${w.name}` && r.stats) wall = PER_SAMPLE / (r.stats.p50 / 1e9);
    }
    return {
      workload: w.name,
      req_per_s_wall_median: Math.round(wall),
      req_per_s_cpu: Math.round(cpuThroughput(w, 500_000)),
    };
  });
  console.log(
    '\nsim backends: simulated requests per second (8 models, engine + backends + a counting host)',
  );
  for (const r of rows) {
    console.log(
      `  ${r.workload.padEnd(16)} wall median ${r.req_per_s_wall_median.toLocaleString('en').padStart(11)}   cpu ${r.req_per_s_cpu.toLocaleString('en').padStart(11)}`,
    );
  }
  console.log(loadLine());
  const out = {
    bench: NAME,
    node: process.version,
    arch: process.arch,
    load_average: loadavg(),
    cpus: cpus().length,
    results: rows,
  };
  writeResults(NAME, out);
}

// Run directly (`node --import tsx bench/sim-backend.bench.ts [requests]`): requests per second per workload.
if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  for (const w of WORKLOADS) {
    simulate(w, 50_000); // warm up
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = simulate(w, n);
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    console.log(
      `${w.name.padEnd(16)} ${n} requests: wall ${wall.toFixed(2)} s (${Math.round(n / wall).toLocaleString('en')}/s), ` +
        `cpu ${cpu.toFixed(2)} s (${Math.round(n / cpu).toLocaleString('en')}/s), ${r.events} events, ` +
        `${r.completed} reported, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );
  }
}
