/**
 * A loaded scenario: typed, with every default filled in (see scenario/defaults.ts). This is the contract
 * between the loader (YAML -> Scenario) and everything that runs one (run, report, experiments).
 * Units are normalised on load: every time is milliseconds, every rate is per second, tokens are tokens.
 */
import type { ModelSpec, Traffic } from '../core/types.js';
import type { RoutingConfig } from '../router/config.js';
import type { ScenarioEvent } from './events/index.js';
import type { EXPECT_OPS } from './schema.js';

/** A comparison of an expectation, as written after its metric. */
export type ExpectOp = (typeof EXPECT_OPS)[number];

export interface Expectation {
  metric: string;
  op: ExpectOp;
  value: number;
  /** Where it was written, for messages. */
  line: number;
  column: number;
}

export interface ProbeSpec {
  /** Active health checks: probe every interval; a model turns unhealthy after N failed probes in a row. */
  interval_ms: number;
  unhealthy_after: number;
  healthy_after: number;
}

export interface OutlierSpec {
  /** Passive detection: this many failed attempts in a row eject a model for the cooldown. 0 = off. */
  consecutive_failures: number;
  cooldown_ms: number;
  /** Never eject a model when that would leave more than this percentage of the pool ejected. */
  max_ejection_percent: number;
}

export interface RouterSpec extends RoutingConfig {
  signals: { refresh_ms: number };
  probes: ProbeSpec;
  outlier_detection: OutlierSpec;
}

export interface Scenario {
  /** Absolute path of the file it came from ('' when built in code). */
  file: string;
  name: string;
  seed: number;
  horizon_ms: number;
  router: RouterSpec;
  models: ModelSpec[];
  traffic: Traffic;
  /** traffic.client_timeout in ms; absent = clients never give up. */
  client_timeout_ms?: number;
  events: ScenarioEvent[];
  expect: Expectation[];
  /** Named config overrides for compare/sweep: name -> dotted-key overrides (applied by the loader). */
  variants: { name: string; overrides: Record<string, unknown> }[];
  /** Milliseconds per bucket of the report's timeline. */
  timeline_interval_ms: number;
}
