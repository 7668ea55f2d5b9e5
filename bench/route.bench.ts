/**
 * route() benchmarks: every strategy at 4, 16, 64 and 256 models, with the registry and views in memory
 * and loads that change between decisions. Also measures allocation per decision in steady state
 * (heap growth over 1e6 routes in chunks; a chunk interrupted by a scavenge is discarded), with an
 * allocating control to show the method sees allocation. Writes reports/bench/route.json.
 * Targets (issue 2): median <= 1000 ns for every strategy at 16 models, <= 200 ns for round_robin,
 * 0 bytes per decision.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { bench, do_not_optimize, group, measure, summary } from 'mitata';
import { ManualClock } from '../src/engine/clock.js';
import { SeededRng } from '../src/engine/rng.js';
import {
  MemoryCacheView,
  MemoryLoadView,
  MemoryQuotaView,
  MemoryRegistry,
  modelInfo,
  type RouteRequest,
  Router,
} from '../src/router/index.js';
import { STRATEGIES, STRATEGY_NAMES, type StrategyName } from '../src/strategies/index.js';
import { loadLine, writeResults } from './results.js';

export const NAME = 'route';
const SIZES = [4, 16, 64, 256];
const TABLE = 4096; // precomputed load updates, cycled

/** One router with in-memory views and a closure that makes one decision after a load change. */
export function fixture(strategy: StrategyName, n: number, seed = 1): () => number {
  const r = new SeededRng(seed);
  const registry = new MemoryRegistry(
    Array.from({ length: n }, (_, i) =>
      modelInfo(`model-${i}`, {
        max_concurrency: 16,
        weight: 1 + (i % 4),
        cost_per_1k_tokens: 0.1 + (i % 7) * 0.1,
        context_length: 32768,
      }),
    ),
  );
  const load = MemoryLoadView.forRegistry(registry);
  const quota = new MemoryQuotaView(
    new Array(n).fill(1e15),
    Array.from({ length: n }, () => r.next() * 0.9),
  );
  const cache = new MemoryCacheView(Array.from({ length: n }, () => r.next()));
  for (let i = 0; i < n; i++) cache.addBlocks(i, [i % 8, 100 + (i % 3)]);
  const clock = new ManualClock();
  const router = new Router(
    { strategy, session_affinity: STRATEGIES[strategy].pinsSessions },
    { registry, strategies: STRATEGIES, clock, rng: new SeededRng(seed + 1), load, cache, quota },
  );
  for (let i = 0; i < n; i++) {
    load.set(i, Math.floor(r.next() * 16), 0);
    router.done({ estimated_tokens: 1 }, { model_index: i, kind: 'ok', latency_ms: 100 + r.next() * 400 });
  }
  const updIndex = Int32Array.from({ length: TABLE }, () => Math.floor(r.next() * n));
  const updInFlight = Float64Array.from({ length: TABLE }, () => Math.floor(r.next() * 16));
  const updQueued = Float64Array.from({ length: TABLE }, () =>
    r.next() < 0.1 ? Math.floor(r.next() * 8) : 0,
  );
  const sessions = Array.from({ length: 512 }, (_, k) => `session-${k}`);
  const requests: RouteRequest[] = Array.from({ length: 256 }, (_, k) => ({
    estimated_tokens: 200 + Math.floor(r.next() * 4000),
    session_id: sessions[Math.floor(r.next() * sessions.length)],
    prefix_blocks: [k % 8, 100 + (k % 3), 1000 + k],
  }));
  let k = 0;
  return () => {
    const t = k & (TABLE - 1);
    load.set(updIndex[t], updInFlight[t], updQueued[t]);
    const req = requests[k & 255];
    req.attempts = 0;
    k++;
    clock.t += 1;
    return router.route(req).model_index;
  };
}

/**
 * Every fixture is built and warmed (3 rounds, interleaved) before mitata starts, so that each strategy is
 * measured in the JIT's steady state with the router's call sites already seeing all strategies, as in a
 * process that compares them (not flattered by a monomorphic first run).
 */
export function register(): void {
  const steps = new Map<string, () => number>();
  for (const n of SIZES) for (const s of STRATEGY_NAMES) steps.set(`${s} @${n}`, fixture(s, n));
  for (let round = 0; round < 3; round++) {
    for (const [name, step] of steps) {
      const reps = Number(name.split('@')[1]) >= 64 ? 5_000 : 20_000;
      for (let k = 0; k < reps; k++) step();
    }
  }
  for (const n of SIZES) {
    summary(() => {
      group(`route() · ${n} models`, () => {
        for (const s of STRATEGY_NAMES) {
          const step = steps.get(`${s} @${n}`)!;
          bench(`${s} @${n}`, () => do_not_optimize(step()));
        }
      });
    });
  }
}

/** Heap bytes per call of `step` in steady state, over `total` calls in chunks of 10,000. */
export function bytesPerCall(step: () => unknown, total = 1_000_000): number {
  const chunk = 10_000;
  for (let k = 0; k < 100_000; k++) step(); // warm up: JIT, ICs, affinity table, pooled entries
  let bytes = 0;
  let calls = 0;
  for (let done = 0; done < total; done += chunk) {
    const h0 = process.memoryUsage().heapUsed;
    for (let k = 0; k < chunk; k++) step();
    const d = process.memoryUsage().heapUsed - h0;
    if (d >= 0) {
      bytes += d;
      calls += chunk;
    }
  }
  return calls === 0 ? Number.NaN : bytes / calls;
}

/** Medians at 16 models timed by process CPU time (µs resolution, batched by mitata). */
async function cpuClockMedians(): Promise<{ strategy: string; median_ns: number }[]> {
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  };
  const out: { strategy: string; median_ns: number }[] = [];
  for (const s of STRATEGY_NAMES) {
    const step = fixture(s, 16);
    for (let k = 0; k < 50_000; k++) step();
    const stats = await measure(() => do_not_optimize(step()), { now: cpuNow, min_cpu_time: 300e6 });
    out.push({ strategy: s, median_ns: stats.p50 });
  }
  return out;
}

interface Trial {
  runs: { name: string; stats?: { p50: number; p99: number; avg: number } }[];
}

export async function report(results: { benchmarks: Trial[] }): Promise<void> {
  const rows: { strategy: string; models: number; median_ns: number; p99_ns: number; mean_ns: number }[] = [];
  for (const t of results.benchmarks) {
    for (const run of t.runs) {
      const m = /^(\w+) @(\d+)$/.exec(run.name);
      if (!m || !run.stats) continue;
      rows.push({
        strategy: m[1],
        models: Number(m[2]),
        median_ns: run.stats.p50,
        p99_ns: run.stats.p99,
        mean_ns: run.stats.avg,
      });
    }
  }
  const holder: unknown[] = [];
  const control = bytesPerCall(
    () => holder.push({ k: holder.length }) && holder.length > 4096 && (holder.length = 0),
  );
  // One fresh process per strategy: see route-alloc.child.ts for why not this one.
  const alloc = STRATEGY_NAMES.map((s) => ({
    strategy: s,
    models: 16,
    bytes_per_decision: Number(
      execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', join('bench', 'route-alloc.child.ts'), s, '16'],
        { encoding: 'utf8' },
      ).trim(),
    ),
  }));
  const cpuMedians = await cpuClockMedians();
  const at16 = rows.filter((r) => r.models === 16);
  const targets = {
    median_at_16_ns_max: 1000,
    round_robin_at_16_ns_max: 200,
    all_at_16_met: at16.length > 0 && at16.every((r) => r.median_ns <= 1000),
    round_robin_met: at16.some((r) => r.strategy === 'round_robin' && r.median_ns <= 200),
    zero_alloc_met: alloc.every((a) => a.bytes_per_decision < 1),
  };
  console.log('\nroute() median ns (rows: strategy, columns: models)');
  console.log(['strategy'.padEnd(16), ...SIZES.map((n) => String(n).padStart(8))].join(''));
  for (const s of STRATEGY_NAMES) {
    const cells = SIZES.map((n) => rows.find((r) => r.strategy === s && r.models === n));
    console.log([s.padEnd(16), ...cells.map((c) => (c ? c.median_ns.toFixed(0) : '-').padStart(8))].join(''));
  }
  console.log(
    '\nat 16 models, median by process CPU time (less disturbed by other processes on a busy machine):',
  );
  for (const c of cpuMedians) console.log(`  ${c.strategy.padEnd(16)} ${c.median_ns.toFixed(0)} ns`);
  console.log(loadLine());
  console.log(
    '\nheap bytes per decision in steady state (16 models, 1e6 routes, one fresh process per strategy):',
  );
  for (const a of alloc) console.log(`  ${a.strategy.padEnd(16)} ${a.bytes_per_decision.toFixed(3)}`);
  console.log(`  (control: one small object per call measures ${control.toFixed(1)} bytes/call)`);
  console.log(`targets: ${JSON.stringify(targets)}`);
  const out = {
    bench: NAME,
    node: process.version,
    arch: process.arch,
    load_average: loadavg(),
    cpus: cpus().length,
    results: rows,
    cpu_clock_medians_at_16: cpuMedians,
    allocation: {
      method: 'heapUsed growth over 1e6 routes in 10k chunks',
      control_bytes_per_call: control,
      per_strategy: alloc,
    },
    targets,
  };
  writeResults(NAME, out);
}
