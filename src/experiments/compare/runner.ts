/**
 * How compare and check get from a scenario file to a Report: load with overrides and a
 * seed, then simulate. An interface, so tests can count calls or stub the simulator, and so a sweep can
 * run the same cells on worker threads. The real one imports the loader and the simulator lazily.
 */

import type { Report } from '../../report/types.js';
import type { LoadOptions } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/types.js';

export interface ScenarioRunner {
  /** Loads and validates; throws UserError (exit 2) listing every problem. */
  load(file: string, opts?: LoadOptions): Promise<Scenario>;
  /** One whole simulation; the same scenario and seed give the same report. */
  run(scenario: Scenario): Promise<Report>;
}

/** The real loader (src/scenario) and simulator (src/run, reported by run-scenario.ts). */
export async function defaultRunner(): Promise<ScenarioRunner> {
  const loader = await import('../../scenario/load.js');
  const sim = await import('../run-scenario.js');
  return {
    async load(file, opts = {}) {
      const res = await loader.loadScenarioFile(file, opts);
      if (!res.ok) throw loader.scenarioIssuesToUserError(res.issues);
      return res.scenario;
    },
    async run(scenario) {
      return (await sim.runScenario(scenario)).report;
    },
  };
}
