/**
 * One cell of a sweep or comparison, start to finish, in whichever thread calls it: load the scenario with
 * the cell's overrides and seed (validated like the file), simulate, and reduce the report to a CellResult.
 * The same function runs in the main thread (--workers 1) and in worker threads, so results cannot depend
 * on where a cell ran. Throws UserError for invalid overrides (the loader's problems).
 */
import type { MetricDef } from '../../report/check-metrics.js';
import { loadScenarioFile, scenarioIssuesToUserError } from '../../scenario/load.js';
import { type CellResult, summarizeCell } from '../compare/aggregate.js';
import type { Cell } from '../compare/cells.js';
import { runScenario } from '../run-scenario.js';

/** A finished cell and the routesim version that produced it. */
export interface CellOutcome {
  result: CellResult;
  version: string;
}

export async function runCell(file: string, cell: Cell, metrics: readonly MetricDef[]): Promise<CellOutcome> {
  const loaded = loadScenarioFile(file, { overrides: cell.overrides, seed: cell.seed });
  if (!loaded.ok) throw scenarioIssuesToUserError(loaded.issues);
  const { report } = await runScenario(loaded.scenario);
  return { result: summarizeCell(cell, report, metrics), version: report.version };
}
