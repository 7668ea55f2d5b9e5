/**
 * RunResult: what one run produced, as plain data — the measurements, the router's counters, the health
 * changes, the backends' figures and how the run ended. report/ builds report.json and run.json from it
 * and from nothing else of the run, so a run and its report can change independently.
 */
import type { BackendStats } from '../backends/backend.js';
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { RouterStats } from '../router/stats.js';
import type { Health } from '../router/types.js';
import type { Scenario } from '../scenario/types.js';

/** One true health change from the timeline, and when the router's view first matched it. */
export interface HealthChange {
  at_ms: number;
  true_health: Health;
  /** Null when the router's view never matched before the next change or the end of the run. */
  detected_at_ms: number | null;
  delay_ms: number | null;
}

/**
 * One fault applied by the timeline (a crash, hang, flap or metrics_stale event), from its start to its
 * end: what a drill score is computed from.
 */
export interface FaultRecord {
  /** The event kind: 'crash', 'hang', 'flap' or 'metrics_stale'. */
  kind: string;
  model: string;
  /** When it started (virtual ms). */
  at_ms: number;
  /** When it was over: the (last) restart, the hang's or staleness's end; null if it lasted to the run's end. */
  end_ms: number | null;
  /** crash: the warm-up after the restart (ms; 0 for none and for the other kinds). */
  warmup_ms: number;
  /** Crashes it caused (a flap: one per period that started within the run; a crash: 1; else 0). */
  crashes: number;
  /** Attempts its crashes failed at once (those in service, queued or about to fail on the model). */
  failed_attempts: number;
}

/** How one gguf model was served in a live run. */
export interface LiveModelInfo {
  id: string;
  state: 'ready' | 'failed' | 'crashed';
  /**
   * What served it: for gguf, what llama.cpp ran on, e.g. "cpu (2 threads)" or "cuda: NVIDIA H100 80GB HBM3"
   * ('' if not loaded); for openai, the endpoint, e.g. "http://10.0.0.5:8000/v1 (model llama, chat API)".
   */
  device: string;
  gpu_layers: number;
  load_ms: number;
  /** Why it failed or crashed (names the model), or null. */
  failure: string | null;
  /** Virtual time of the crash, or null. */
  crashed_at_ms: number | null;
}

/** What a live replay adds to a run's result. */
export interface LiveRunInfo {
  /** The gguf and openai models served live, in scenario order. */
  models: LiveModelInfo[];
  /** Virtual ms per wall ms. */
  speed: number;
  /** Wall ms from the first event to the end of the run (loading excluded). */
  replay_wall_ms: number;
}

/** What one router replica did (router.replicas.count > 1). */
export interface ReplicaResult {
  /** Requests the split gave it (their retries stay with it). */
  requests: number;
  /** Per model (scenario order): its routing decisions that chose the model, retries included. */
  decisions: number[];
  retries: number;
  fallbacks: number;
  /** Its route() calls that found no model. */
  rejected: number;
  affinity_hits: number;
  /** Per model: times its own outlier detection ejected the model. */
  ejections: number[];
}

export interface RunResult {
  scenario: Scenario;
  metrics: RunMetrics;
  /** The router's counters at the end of the run. */
  router: RouterStats;
  /** Per router replica, what it routed; null with one router. */
  replicas: ReplicaResult[] | null;
  /** The router's strategy at the end of the run (a timeline event may have switched it). */
  strategy: string;
  /** Per model (scenario order): its true health changes. */
  healthChanges: readonly (readonly HealthChange[])[];
  /** Every fault the timeline applied, in the order they started (empty without fault events). */
  faults: readonly FaultRecord[];
  /** Per model (scenario order): its serving figures. */
  backends: readonly BackendStats[];
  /** Requests still held when the run stopped (at the horizon, or a live run's drain limit). */
  inFlight: number;
  /** Trace rows the traffic source skipped. */
  skippedRows: number;
  /** Engine events run. */
  events: number;
  /** Virtual time the run ended. */
  end_ms: number;
  /** Wall time of the run itself (ms; for live runs, model loading included). */
  wall_ms: number;
  /** Null for a simulated run. */
  live: LiveRunInfo | null;
}
