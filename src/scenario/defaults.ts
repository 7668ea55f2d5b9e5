/**
 * Every scenario default, as a named constant, in one place. The loader fills a Scenario from these and
 * from DEFAULT_ROUTING_CONFIG (router defaults live with the router), so the same file means the same
 * behaviour from every entry point. Times are milliseconds, rates per second.
 */

import type { Distribution } from '../core/distributions/kinds.js';
import { DEFAULT_ROUTING_CONFIG } from '../router/config.js';
import type { OutlierSpec, ProbeSpec, ReplicaSpec, RouterSpec } from './types.js';

export const DEFAULT_SEED = 1;
/** No `duration:` = run until the traffic ends and every request has finished. */
export const DEFAULT_HORIZON_MS = Number.POSITIVE_INFINITY;
export const DEFAULT_TIMELINE_INTERVAL_MS = 1000;

const DEFAULT_SIGNALS_REFRESH_MS = 0;
export const DEFAULT_PROBES: Readonly<ProbeSpec> = Object.freeze({
  interval_ms: 5000,
  unhealthy_after: 3,
  healthy_after: 2,
});
export const DEFAULT_OUTLIER_DETECTION: Readonly<OutlierSpec> = Object.freeze({
  consecutive_failures: 5,
  cooldown_ms: 30_000,
  max_ejection_percent: 100,
});
/** `router.replicas` when the file does not set it (or leaves a key out). */
export const DEFAULT_REPLICAS: Readonly<ReplicaSpec> = Object.freeze({
  count: 1,
  split: 'round_robin',
  view: 'local',
});

/** The router section when a scenario says nothing: the library's config plus the simulator's knobs. */
export function defaultRouterSpec(): RouterSpec {
  return {
    ...DEFAULT_ROUTING_CONFIG,
    strategy_options: {},
    signals: { refresh_ms: DEFAULT_SIGNALS_REFRESH_MS },
    probes: { ...DEFAULT_PROBES },
    outlier_detection: { ...DEFAULT_OUTLIER_DETECTION },
  };
}

export const DEFAULT_ARRIVAL_PROCESS = 'poisson' as const;
export const DEFAULT_ARRIVAL_RATE = 10;
/** Arrival-process parameters (params of ArrivalSpec), per process. Times in ms, rates per second. */
export const DEFAULT_GAMMA_CV = 1;
/** Diurnal swing, as peak rate / trough rate (used when `amplitude` is not given). */
export const DEFAULT_DIURNAL_PEAK_TO_TROUGH = 3;
export const DEFAULT_DIURNAL_PERIOD_MS = 86_400_000;
export const DEFAULT_DIURNAL_PHASE_MS = 0;
export const DEFAULT_BURST_ON_MS = 10_000;
export const DEFAULT_BURST_OFF_MS = 50_000;
/** Burst rate / calm rate. */
export const DEFAULT_BURST_FACTOR = 5;
export const DEFAULT_RAMP_FROM_RATE = 0;
export const DEFAULT_RAMP_MS = 60_000;
export const DEFAULT_SHARED_PREFIX_TOKENS = 0;
/** Tokens per prefix block on generated records (same as the traffic generator's). */
export const DEFAULT_TRAFFIC_BLOCK_TOKENS = 512;
/** Unbounded: generate until the horizon. */
export const DEFAULT_REQUESTS = Number.POSITIVE_INFINITY;
export const DEFAULT_PROMPT_TOKENS: Readonly<Distribution> = Object.freeze<Distribution>({
  dist: 'lognormal',
  median: 512,
  p99: 4096,
});
export const DEFAULT_OUTPUT_TOKENS: Readonly<Distribution> = Object.freeze<Distribution>({
  dist: 'exponential',
  mean: 256,
});
export const DEFAULT_SESSION_POPULARITY = 'zipf' as const;
export const DEFAULT_ZIPF_S = 1;
export const DEFAULT_SESSION_TURNS: Readonly<Distribution> = Object.freeze<Distribution>({
  dist: 'geometric',
  mean: 4,
});
export const DEFAULT_THINK_TIME_MS: Readonly<Distribution> = Object.freeze<Distribution>({
  dist: 'fixed',
  value: 10_000,
});

export const DEFAULT_TRACE_SPEED = 1;
export const DEFAULT_TRACE_SAMPLE = 1;
export const DEFAULT_TRACE_LOOP = false;
export const DEFAULT_ON_BAD_ROW = 'fail' as const;
