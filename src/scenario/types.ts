/**
 * A loaded scenario: typed, with every default filled in (see scenario/defaults.ts). This is the contract
 * between the loader (YAML -> Scenario) and everything that runs one (engine, traffic, backends, report).
 * Units are normalised on load: every time is milliseconds, every rate is per second, tokens are tokens.
 */
import type { RoutingConfig } from '../router/config.js';
import type { Health } from '../router/types.js';

/** A distribution of a quantity (ms for times, tokens for lengths). */
export type Distribution =
  | { dist: 'fixed'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; stddev: number }
  | { dist: 'lognormal'; median: number; p99: number }
  | { dist: 'gamma'; mean: number; cv: number }
  | { dist: 'pareto'; scale: number; shape: number }
  | { dist: 'empirical'; samples: number[] }
  /** Counts 1, 2, 3, ... with the given mean (>= 1), e.g. turns per session. */
  | { dist: 'geometric'; mean: number };

export type LatencyModel =
  /** Time to first token, then time per output token. */
  | { model: 'ttft_tpot'; ttft: Distribution; tpot: Distribution }
  /** Whole-request service time that ignores tokens (the textbook queue). */
  | { model: 'service'; service: Distribution }
  /** Continuous batching: each decode step slows as more sequences share the model. */
  | {
      model: 'batching';
      prefill_per_token_ms: number;
      decode_step_ms: number;
      /** Step time = decode_step_ms * (1 + slowdown * (running - 1)). */
      slowdown: number;
      max_batch: number;
    }
  /** Fitted by `routesim calibrate`; the file's contents, loaded. */
  | {
      model: 'profile';
      profile_path: string;
      prefill_ms_per_token: number;
      prefill_base_ms: number;
      decode_base_ms: number;
      decode_per_seq_ms: number;
    };

export type CacheModel =
  | { kind: 'none' }
  | { kind: 'fixed'; hit_rate: number }
  | { kind: 'prefix'; capacity_tokens: number; block_tokens: number };

export interface QuotaSpec {
  /** Infinity = no limit. Windows are fixed, aligned minutes from the start of the run. */
  tokens_per_minute: number;
  requests_per_minute: number;
  /** Share of the first window already spent, 0..1. */
  initial_used: number;
}

export interface GgufSpec {
  path: string;
  gpu: 'auto' | 'cuda' | 'vulkan' | false;
  context_size: number;
}

export interface ModelSpec {
  id: string;
  backend: 'sim' | 'gguf';
  max_concurrency: number;
  max_queue: number;
  latency: LatencyModel;
  cache: CacheModel;
  quota: QuotaSpec | null;
  health: Health;
  failure_rate: number;
  weight: number;
  cost_per_1k_tokens: number;
  context_length: number;
  capabilities: string[];
  gguf: GgufSpec | null;
  /**
   * 'absent': the model is not in the router's pool until an `add` event (it keeps its index; see
   * sim/presence.ts). Absent key = present from the start.
   */
  initially?: 'present' | 'absent';
  /** Why a gguf model cannot be served (its file is missing): it then starts unhealthy and stays so. */
  load_problem?: string;
  /**
   * Simulated batching/profile models with the same device name never run steps at the same time (one
   * llama.cpp runtime's shared threads; backends/sim/device.ts). Absent: the model has its own device.
   */
  device?: string;
}

export interface ArrivalSpec {
  process: 'poisson' | 'constant' | 'gamma' | 'diurnal' | 'bursts' | 'ramp';
  /** Mean rate, requests per second. */
  rate: number;
  /** Extra parameters of the non-basic processes (cv, period, peak, on/off...), normalised by the loader. */
  params: Record<string, number>;
}

export interface SessionSpec {
  count: number;
  popularity: 'uniform' | 'zipf';
  zipf_s: number;
  turns: Distribution;
  think_time_ms: Distribution;
}

export interface SyntheticTraffic {
  kind: 'synthetic';
  arrivals: ArrivalSpec;
  /** Number of requests to generate (Infinity = until the horizon). */
  requests: number;
  prompt_tokens: Distribution;
  output_tokens: Distribution;
  sessions: SessionSpec | null;
  /** Tokens of a system prompt shared by every request (its full blocks get the same ids); default 0. */
  shared_prefix_tokens?: number;
  /** Tokens per prefix block on generated records; default 512. */
  block_tokens?: number;
  /** Tenant name put on each record when this stream is merged with others. */
  tenant?: string | null;
}

export interface TraceTraffic {
  kind: 'trace';
  path: string;
  format: 'azure' | 'mooncake' | 'burstgpt' | 'native' | 'csv';
  speed: number;
  /** Target mean rate (req/s) instead of a speed factor; null = use speed. */
  target_rate: number | null;
  window: { start_ms: number; end_ms: number } | null;
  sample: number;
  loop: boolean;
  on_bad_row: 'fail' | 'skip';
  /** Column mapping for format: csv. */
  columns: Record<string, string> | null;
  tenant: string | null;
}

export type Traffic =
  | SyntheticTraffic
  | TraceTraffic
  | { kind: 'merge'; streams: (SyntheticTraffic | TraceTraffic)[] };

/** A timeline event; exactly one change per event (the loader splits multi-change entries). */
export type ScenarioEvent =
  | { at_ms: number; kind: 'health'; model: string; health: Health }
  | { at_ms: number; kind: 'latency_factor'; model: string; factor: number }
  | { at_ms: number; kind: 'failure_rate'; model: string; failure_rate: number }
  | { at_ms: number; kind: 'capacity'; model: string; max_concurrency: number }
  | { at_ms: number; kind: 'quota'; model: string; tokens_per_minute: number; requests_per_minute: number }
  | { at_ms: number; kind: 'router'; changes: Partial<RoutingConfig> }
  | { at_ms: number; kind: 'ab_split'; split: number }
  /** The model joins (`add`) or leaves (`remove`) the router's pool; in-flight work on it finishes. */
  | { at_ms: number; kind: 'presence'; model: string; present: boolean };

export type ExpectOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

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
  events: ScenarioEvent[];
  expect: Expectation[];
  /** Named config overrides for compare/sweep: name -> dotted-key overrides (applied by the loader). */
  variants: { name: string; overrides: Record<string, unknown> }[];
  /** Seconds per bucket of the report's timeline. */
  timeline_interval_ms: number;
}
