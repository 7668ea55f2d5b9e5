/**
 * A run and its report in one call, for every caller that wants both (the CLI, compare, sweep, fidelity,
 * tests, benchmarks): the run (run/) gives a plain RunResult, the report (report/) is built from it here.
 */
import { buildReport } from '../report/report.js';
import { buildRunInfo, type RunInfo } from '../report/run-info.js';
import type { Report } from '../report/types.js';
import { type LiveOptions, type LiveResult, runLive } from '../run/live.js';
import type { RunResult } from '../run/result.js';
import { type RunOptions, simulate } from '../run/run.js';
import type { Scenario } from '../scenario/types.js';

/** A finished run with its report.json and run.json. */
export interface ReportedRun<R extends RunResult = RunResult> {
  result: R;
  report: Report;
  run: RunInfo;
}

/** report.json and run.json of a finished run: the one place a run becomes its report. */
function reported<R extends RunResult>(result: R): ReportedRun<R> {
  return { result, report: buildReport(result), run: buildRunInfo(result) };
}

/** Simulate `scenario` and build its reports. */
export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<ReportedRun> {
  return reported(await simulate(scenario, opts));
}

/** Replay `scenario` live (real gguf models) and build its reports; `result.live` says how each was served. */
export async function runLiveScenario(
  scenario: Scenario,
  opts: LiveOptions = {},
): Promise<ReportedRun<LiveResult>> {
  return reported(await runLive(scenario, opts));
}
