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

/** `router.replicas`: several instances of the router side by side (run/replicas.ts). */
export interface ReplicaSpec {
  /** Router instances, each with its own state. 1 = one router (today's behaviour). */
  count: number;
  /** How arrivals are shared out among the replicas. */
  split: 'random' | 'round_robin' | 'session_hash';
  /** What load each replica sees: only its own attempts (local) or the backends' true load (shared). */
  view: 'local' | 'shared';
}

export interface RouterSpec extends RoutingConfig {
  signals: { refresh_ms: number };
  /** Absent when the file does not set `router.replicas` (one router; the report's config omits it). */
  replicas?: ReplicaSpec;
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
