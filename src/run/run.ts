/**
 * simulate: one scenario run on the virtual clock against simulated backends, to a plain RunResult
 * (experiments/run-scenario.ts turns it into a report).
 */
import { performance } from 'node:perf_hooks';
import type { AttemptOutcome, BackendHost } from '../backends/backend.js';
import { SimCluster } from '../backends/sim/index.js';
import { Engine } from '../engine/engine.js';
import { RngStreams } from '../engine/rng.js';
import type { Scenario } from '../scenario/types.js';
import { finishRun } from './finish.js';
import type { RequestFlow } from './request-flow.js';
import type { RunResult } from './result.js';
import { wireRun } from './wiring.js';

export interface RunOptions {
  /** High-resolution wall time in ms: measures routing time for run.json (absent: not measured). */
  stopwatch?: () => number;
  /** Called now and then with the share of the run done (0..1), and with 1 at the end. */
  onProgress?: (doneFraction: number) => void;
}

/** Progress callbacks per run (the run yields to the event loop between chunks so a bar can redraw). */
const PROGRESS_CHUNKS = 100;

/** Run `scenario` to its end (the horizon, or when the last request finished); throws only on a bug. */
export async function simulate(scenario: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const wall = opts.stopwatch ?? (() => performance.now());
  const t0 = wall();
  const engine = new Engine();
  const streams = new RngStreams(scenario.seed);
  const relay = new HostRelay(engine);
  const cluster = new SimCluster(scenario.models, engine, relay, streams);
  const wiring = wireRun(scenario, engine, streams, cluster, { stopwatch: opts.stopwatch });
  const { driver } = wiring;
  relay.target = driver.flow;

  driver.start();
  const horizon = scenario.horizon_ms;
  if (!driver.done) {
    const span = Number.isFinite(horizon) ? horizon : expectedSpan(scenario);
    if (opts.onProgress && Number.isFinite(span) && span > 0) {
      const step = span / PROGRESS_CHUNKS;
      let until = 0;
      while (!driver.done && until < horizon) {
        until = Math.min(horizon, until + step);
        // Past the expected end (an open horizon): run the rest in one go.
        if (until >= span && !Number.isFinite(horizon)) until = horizon;
        engine.run({ until });
        opts.onProgress(Math.min(1, until / span));
        await new Promise<void>((r) => setImmediate(r));
      }
    } else {
      engine.run({ until: horizon });
    }
  }
  const end = driver.done ? driver.endedAt : Number.isFinite(horizon) ? horizon : engine.now();
  const wall_ms = wall() - t0;
  opts.onProgress?.(1);
  return finishRun({
    scenario,
    engine,
    wiring,
    cluster,
    end_ms: end,
    wall_ms,
    skippedRows: wiring.source.skipped ?? 0,
    live: null,
  });
}

/** The backends' host: forwards completions to the request flow (built after the cluster it drives). */
class HostRelay implements BackendHost {
  target: RequestFlow | null = null;
  constructor(private readonly engine: Engine) {}
  now(): number {
    return this.engine.now();
  }
  complete(o: AttemptOutcome): void {
    this.target!.complete(o);
  }
}

/** How long synthetic traffic should last (ms), for progress with an open horizon; Infinity if unknown. */
function expectedSpan(s: Scenario): number {
  const t = s.traffic;
  if (t.kind === 'synthetic' && Number.isFinite(t.requests) && t.arrivals.rate > 0) {
    return (t.requests / t.arrivals.rate) * 1000;
  }
  return Number.POSITIVE_INFINITY;
}
