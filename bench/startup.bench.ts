/**
 * The CLI as a whole process, the way a user meets it: `node bin/routesim.js ...` on the compiled code in
 * dist/ (built first when missing or older than src/, so the figures are never of a stale build).
 *
 * `register()`: bin/freshness.js's check on this checkout, the one cost bin/routesim.js adds to every call.
 *
 * `report()`, in child processes, ROUNDS rounds with the commands interleaved (each round runs each once,
 * in a rotated order, so a busy minute on this shared machine falls on all of them alike), medians of:
 * - `node -e 0` (the floor), `routesim --version` (target <= 150 ms), `--help`, `validate quickstart`
 *   (target <= 150 ms; and with ROUTESIM_CODE_CACHE=0, what a call without V8's code cache of the bundle
 *   costs: the first after a build, before it wrote the cache; the warm-up call of each command writes it);
 * - `run quickstart` with and without charts: the difference is drawing its charts (target <= 0.5 s);
 * - `run bench/scenarios/whole-1m.yaml --no-charts` (1M requests; start-up, simulation, report building
 *   and writing) against the bare heap loop of the same events (heap.bench.ts's floor, timed in this
 *   process): target <= 3×; with charts too, and the difference.
 * Writes reports/bench/startup.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bench, do_not_optimize, group } from 'mitata';
import { distState } from '../bin/freshness.js';
import { recordHeapTrace, replay } from './heap.bench.js';

export const NAME = 'startup';

const ROOT = join(import.meta.dirname, '..');
const ROUNDS = Number(process.env.STARTUP_BENCH_ROUNDS ?? 20);
/** The 1M-request runs take about a second each: fewer rounds. */
const BIG_ROUNDS = Number(process.env.STARTUP_BENCH_BIG_ROUNDS ?? 5);
const BIG = 'bench/scenarios/whole-1m.yaml';
const BIG_REQUESTS = 1_000_000;
const TARGETS = { version_ms: 150, validate_ms: 150, charts_s: 0.5, run_1m_vs_bare_heap: 3 };

export function register(): void {
  group('start-up: work bin/routesim.js does before loading the CLI', () => {
    bench('dist/ freshness check (stat every source)', () => do_not_optimize(distState(ROOT)));
  });
}

/** Wall-clock ms of one `node args...` run in the repository root; throws unless it exits `code`. */
function timeNode(args: string[], code = 0, env: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  const ms = performance.now() - t0;
  if (r.status !== code)
    throw new Error(`startup bench: node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

/** Median ms of each command over `rounds` interleaved rounds (round i starts at command i mod n). */
function interleaved(cmds: Record<string, () => number>, rounds: number): Record<string, number> {
  const names = Object.keys(cmds);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) cmds[n](); // warm the file cache
  for (let i = 0; i < rounds; i++)
    for (let j = 0; j < names.length; j++) {
      const n = names[(i + j) % names.length];
      times[n].push(cmds[n]());
    }
  return Object.fromEntries(names.map((n) => [n, median(times[n])]));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median ms of the bare heap loop replaying the 1M run's events (heap.bench.ts), after a warm-up. */
async function bareHeapFloorMs(): Promise<{ ms: number; events: number }> {
  const trace = await recordHeapTrace(BIG_REQUESTS);
  replay(trace);
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    do_not_optimize(replay(trace));
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), events: trace.events };
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export async function report(): Promise<void> {
  if (!distState(ROOT).fresh)
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const out = mkdtempSync(join(tmpdir(), 'routesim-startup-bench-'));
  const bin = 'bin/routesim.js';
  const run = (file: string, dir: string, charts: boolean) => () =>
    timeNode([bin, 'run', file, '--quiet', '--out', join(out, dir), ...(charts ? [] : ['--no-charts'])]);
  try {
    const small = interleaved(
      {
        'node -e 0': () => timeNode(['-e', '0']),
        'routesim --version': () => timeNode([bin, '--version']),
        'routesim --help': () => timeNode([bin, '--help']),
        'routesim validate quickstart': () => timeNode([bin, 'validate', 'scenarios/quickstart.yaml']),
        'routesim validate quickstart, no code cache': () =>
          timeNode([bin, 'validate', 'scenarios/quickstart.yaml'], 0, { ROUTESIM_CODE_CACHE: '0' }),
        'routesim run quickstart --no-charts': run('scenarios/quickstart.yaml', 'q0', false),
        'routesim run quickstart': run('scenarios/quickstart.yaml', 'q1', true),
      },
      ROUNDS,
    );
    const big = interleaved(
      {
        'routesim run 1M --no-charts': run(BIG, 'b0', false),
        'routesim run 1M': run(BIG, 'b1', true),
      },
      BIG_ROUNDS,
    );
    const floor = await bareHeapFloorMs();
    const chartsQuickstart = small['routesim run quickstart'] - small['routesim run quickstart --no-charts'];
    const chartsBig = big['routesim run 1M'] - big['routesim run 1M --no-charts'];
    const ratio = big['routesim run 1M --no-charts'] / floor.ms;
    const result = {
      rounds: ROUNDS,
      big_rounds: BIG_ROUNDS,
      median_ms: Object.fromEntries(Object.entries({ ...small, ...big }).map(([k, v]) => [k, round(v)])),
      bare_heap_loop_1m_ms: round(floor.ms),
      events_1m: floor.events,
      run_1m_no_charts_vs_bare_heap: round(ratio, 2),
      charts_quickstart_s: round(chartsQuickstart / 1000, 3),
      charts_1m_s: round(chartsBig / 1000, 3),
      targets: TARGETS,
      met: {
        version: small['routesim --version'] <= TARGETS.version_ms,
        validate: small['routesim validate quickstart'] <= TARGETS.validate_ms,
        run_1m_vs_bare_heap: ratio <= TARGETS.run_1m_vs_bare_heap,
        charts_quickstart: chartsQuickstart / 1000 <= TARGETS.charts_s,
        charts_1m: chartsBig / 1000 <= TARGETS.charts_s,
      },
    };
    console.log(
      `\nwhole process, compiled CLI (median of ${ROUNDS} interleaved rounds; 1M runs: ${BIG_ROUNDS}):`,
    );
    for (const [k, v] of Object.entries(result.median_ms))
      console.log(`  ${k.padEnd(44)} ${v.toFixed(1)} ms`);
    console.log(
      `  bare heap loop, same ${floor.events.toLocaleString('en')} events: ${floor.ms.toFixed(1)} ms; ` +
        `run 1M --no-charts is ${result.run_1m_no_charts_vs_bare_heap}× it ` +
        `(target <= ${TARGETS.run_1m_vs_bare_heap}×)`,
    );
    console.log(
      `  drawing charts: quickstart ${result.charts_quickstart_s} s, 1M run ${result.charts_1m_s} s ` +
        `(target <= ${TARGETS.charts_s} s)`,
    );
    mkdirSync(join(ROOT, 'reports/bench'), { recursive: true });
    writeFileSync(join(ROOT, 'reports/bench/startup.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
