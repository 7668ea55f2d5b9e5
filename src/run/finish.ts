/**
 * finishRun: the one ending of every run, simulated or live. It takes the last samples at `end_ms`, checks
 * that every request is accounted for and gathers the plain RunResult.
 */
import type { SimCluster } from '../backends/sim/index.js';
import type { Engine } from '../engine/engine.js';
import type { Scenario } from '../scenario/types.js';
import type { LiveRunInfo, RunResult } from './result.js';
import type { Wiring } from './wiring.js';

export interface FinishInput {
  scenario: Scenario;
  engine: Engine;
  wiring: Wiring;
  cluster: SimCluster;
  /** Virtual time the run ended; the engine's clock must be there. */
  end_ms: number;
  wall_ms: number;
  /** Trace rows the source skipped (the wiring's source, or the live run's wrapper of it). */
  skippedRows: number;
  live: LiveRunInfo | null;
}

/** Throws when total != completed + failed + rejected + in flight: a bug, never an input error. */
export function finishRun(x: FinishInput): RunResult {
  const { wiring: w, engine } = x;
  w.driver.close(x.end_ms);
  const inFlight = w.driver.flow.table.used;
  const m = w.metrics;
  if (m.total !== m.completed + m.failed + m.rejected + inFlight) {
    throw new Error(
      `routesim: request accounting broken${x.live ? ' in a live run' : ''}: total ${m.total} != completed ` +
        `${m.completed} + failed ${m.failed} + rejected ${m.rejected} + in flight ${inFlight} ` +
        '(a bug; please report it with the scenario)',
    );
  }
  return {
    scenario: x.scenario,
    metrics: m,
    router: w.replicas.stats(),
    replicas: w.replicas.results(),
    strategy: w.router.getConfig().strategy,
    healthChanges: w.replicas.monitors[0].changes,
    faults: w.driver.faults.records,
    backends: x.scenario.models.map((_, i) => x.cluster.backendStats(i)),
    inFlight,
    skippedRows: x.skippedRows,
    events: engine.eventsProcessed,
    end_ms: x.end_ms,
    wall_ms: x.wall_ms,
    live: x.live,
  };
}
