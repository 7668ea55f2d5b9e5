/**
 * Sweep scaling: a 100-variant sweep (4 strategies × 25 load thresholds, one replication, the small sweep
 * fixture at REQUESTS requests per run) on 1 worker (in this thread) and on `os.availableParallelism()`
 * worker threads, against the ideal (variants × one run) / cores, where one run is the median of 3 single
 * cells timed in this thread. No mitata group (the unit is a whole sweep); `report()` prints and writes
 * reports/bench/sweep.json. Run alone: `npm run bench -- --filter sweep`.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { runCell } from '../src/experiments/sweep/cell.js';
import { planSweep, runSweepCells } from '../src/experiments/sweep/index.js';
import { writeResults } from './results.js';

export const NAME = 'sweep';

const FILE = 'test/fixtures/sweep-small.yaml';
const REQUESTS = Number(process.env.SWEEP_BENCH_REQUESTS ?? 100_000);
const STRATEGIES = ['least_loaded', 'round_robin', 'power_of_two', 'random'];
const THRESHOLDS = Array.from({ length: 25 }, (_, i) => (0.5 + i * 0.1).toFixed(1));

export function register(): void {}

export interface SweepScaling {
  variants: number;
  requests_per_run: number;
  cores: number;
  one_run_ms: number;
  ideal_ms: number;
  workers_1_ms: number;
  workers_n: number;
  workers_n_ms: number;
  speedup: number;
  /** workers_n_ms / ideal_ms: 1 would be perfect scaling with no overhead. */
  multiple_of_ideal: number;
  /** Further worker counts from SWEEP_BENCH_WORKERS=2,4,8 (ms each). */
  more: { workers: number; ms: number; speedup: number }[];
}

export async function measureSweep(): Promise<SweepScaling> {
  const plan = planSweep({
    file: FILE,
    sets: [
      `traffic.requests=${REQUESTS}`,
      `router.strategy=${STRATEGIES.join(',')}`,
      `router.max_load_threshold=${THRESHOLDS.join(',')}`,
    ],
    replications: 1,
  });
  const cell = plan.cells[0];
  await runCell(FILE, cell, plan.definition.metrics); // warm-up
  const singles: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await runCell(FILE, plan.cells[i * 37], plan.definition.metrics);
    singles.push(performance.now() - t0);
  }
  const one = singles.sort((a, b) => a - b)[1];
  const cores = availableParallelism();
  let t0 = performance.now();
  const r1 = await runSweepCells(plan, undefined, { workers: 1 });
  const w1 = performance.now() - t0;
  t0 = performance.now();
  const rn = await runSweepCells(plan, undefined, { workers: cores });
  const wn = performance.now() - t0;
  if (JSON.stringify(r1) !== JSON.stringify(rn))
    throw new Error('sweep bench: results differ by worker count');
  const more: SweepScaling['more'] = [];
  for (const w of (process.env.SWEEP_BENCH_WORKERS ?? '').split(',').filter(Boolean).map(Number)) {
    t0 = performance.now();
    const rw = await runSweepCells(plan, undefined, { workers: w });
    const ms = performance.now() - t0;
    if (JSON.stringify(rw) !== JSON.stringify(r1))
      throw new Error(`sweep bench: results differ at ${w} workers`);
    more.push({ workers: w, ms: Math.round(ms), speedup: Math.round((w1 / ms) * 100) / 100 });
  }
  const ideal = (plan.variants.length * one) / cores;
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    variants: plan.variants.length,
    requests_per_run: REQUESTS,
    cores,
    one_run_ms: r(one),
    ideal_ms: r(ideal),
    workers_1_ms: r(w1),
    workers_n: cores,
    workers_n_ms: r(wn),
    speedup: Math.round((w1 / wn) * 100) / 100,
    multiple_of_ideal: Math.round((wn / ideal) * 100) / 100,
    more,
  };
}

export async function report(): Promise<void> {
  const m = await measureSweep();
  console.log(
    `\nsweep: ${m.variants} variants × 1 replication, ${m.requests_per_run.toLocaleString('en')} requests per run`,
  );
  console.log(
    `  one run ${m.one_run_ms} ms; ideal (variants × one run) / ${m.cores} cores = ${m.ideal_ms} ms`,
  );
  console.log(
    `  --workers 1: ${m.workers_1_ms} ms; --workers ${m.workers_n}: ${m.workers_n_ms} ms ` +
      `(speed-up ${m.speedup}×, ${m.multiple_of_ideal}× the ideal)`,
  );
  for (const x of m.more) console.log(`  --workers ${x.workers}: ${x.ms} ms (speed-up ${x.speedup}×)`);
  writeResults(NAME, { bench: NAME, ...m });
}
