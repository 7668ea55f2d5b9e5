import { performance } from 'node:perf_hooks';
import type { AttemptOutcome, BackendHost } from '../backends/backend.js';
import { SimCluster } from '../backends/sim/index.js';
import { Engine } from '../engine/engine.js';
import { RngStreams } from '../engine/rng.js';
import { buildReport } from '../report/report.js';
import { buildRunInfo, type RunInfo } from '../report/run-info.js';
import type { Report } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import type { Driver } from './driver.js';
import { wireRun } from './wiring.js';

export { modelInfoOf, routingConfigOf } from './run-config.js';

export interface RunOptions {
  /** High-resolution wall time in ms: measures routing time for run.json (absent: not measured). */
  stopwatch?: () => number;
  /** Called now and then with the share of the run done (0..1), and with 1 at the end. */
  onProgress?: (doneFraction: number) => void;
}

export interface RunResult {
  report: Report;
  run: RunInfo;
}

/** Progress callbacks per run (the run yields to the event loop between chunks so a bar can redraw). */
const PROGRESS_CHUNKS = 100;

export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const wall = opts.stopwatch ?? (() => performance.now());
  const t0 = wall();
  const engine = new Engine();
  const streams = new RngStreams(scenario.seed);
  const _ids = scenario.models.map((m) => m.id);
  const relay = new HostRelay(engine);
  const cluster = new SimCluster(scenario.models, engine, relay, streams);
  const { router, health, source, metrics, driver } = wireRun(scenario, engine, streams, cluster, {
    stopwatch: opts.stopwatch,
  });
  relay.target = driver;

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
  const end = driver.done ? driver.endT : Number.isFinite(horizon) ? horizon : engine.now();
  driver.close(end);
  const wall_ms = wall() - t0;
  opts.onProgress?.(1);

  const inFlight = driver.table.used;
  const m = metrics;
  if (m.total !== m.completed + m.failed + m.rejected + inFlight) {
    throw new Error(
      `routesim: request accounting broken: total ${m.total} != completed ${m.completed} + failed ${m.failed} + ` +
        `rejected ${m.rejected} + in flight ${inFlight} (a bug; please report it with the scenario)`,
    );
  }
  const stats = router.stats();
  const report = buildReport({
    scenario,
    metrics,
    cluster,
    routerStats: stats,
    healthChanges: health.changes,
    inFlight,
    skippedRows: source.skipped ?? 0,
    events: engine.eventsProcessed,
    end_ms: end,
    strategy: router.getConfig().strategy,
  });
  const run = buildRunInfo({
    scenario: scenario.name,
    seed: scenario.seed,
    wall_ms,
    requests: m.total,
    events: engine.eventsProcessed,
    routing_time_us: stats.routing_time_us,
  });
  return { report, run };
}

/** The backends' host: forwards completions to the driver (built after the cluster it drives). */
class HostRelay implements BackendHost {
  target: Driver | null = null;
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
