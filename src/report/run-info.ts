/**
 * run.json: the wall-clock side of a run (how long it took, how fast it simulated, what routing cost in
 * real CPU time, peak memory, the runtime). Kept apart from report.json so that the report stays
 * byte-identical for the same scenario and seed.
 */
import type { RunResult } from '../run/result.js';

export interface RunInfo {
  scenario: string;
  seed: number;
  /** Wall time of the simulation itself (ms), loading and report writing excluded. */
  wall_ms: number;
  /** Requests that arrived in the run. */
  requests: number;
  /** Simulated requests per wall-clock second. */
  requests_per_s: number;
  /** Engine events run, and per wall-clock second. */
  events: number;
  events_per_s: number;
  /**
   * Wall time per route() call (µs), when the run was given a stopwatch (null otherwise): mean and p99 of
   * the `sampled` calls timed, one in `every`; total_ms estimates the time in route() over all calls.
   */
  routing_time_us: { mean: number; p99: number; total_ms: number; sampled: number; every: number } | null;
  /** Peak resident set size of the process so far (MiB). */
  peak_rss_mb: number;
  node_version: string;
  platform: string;
  arch: string;
}

/** run.json of a finished run, with the process-dependent fields (memory, runtime) filled now. */
export function buildRunInfo(x: RunResult): RunInfo {
  const secs = x.wall_ms / 1000;
  const requests = x.metrics.total;
  const routing = x.router.routing_time_us;
  return {
    scenario: x.scenario.name,
    seed: x.scenario.seed,
    wall_ms: round(x.wall_ms, 3),
    requests,
    requests_per_s: secs > 0 ? Math.round(requests / secs) : 0,
    events: x.events,
    events_per_s: secs > 0 ? Math.round(x.events / secs) : 0,
    routing_time_us: routing
      ? {
          mean: round(routing.mean, 4),
          p99: round(routing.p99, 4),
          total_ms: round(routing.total_ms, 3),
          sampled: routing.sampled,
          every: routing.every,
        }
      : null,
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    node_version: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
