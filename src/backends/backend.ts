/**
 * A backend serves attempts for one model. Simulated backends run on the engine's virtual clock; gguf
 * backends run real inference and report real times. Both report through the same BackendHost, and what
 * the report reads of them is BackendStats, so neither the run nor the report cares which kind served.
 */
import type { OutcomeKind } from '../router/types.js';

export interface AttemptSpec {
  /** Driver-assigned id of this attempt, echoed back in the outcome. */
  id: number;
  prompt_tokens: number;
  output_tokens: number;
  prefix_blocks?: readonly number[];
  block_tokens?: number;
  session_id?: string;
}

export interface AttemptOutcome {
  id: number;
  kind: OutcomeKind;
  /** Time spent waiting for a slot (ms). */
  queue_ms: number;
  /** Arrival at the backend to first token (ms), queueing included; NaN if no token was produced. */
  ttft_ms: number;
  /** Arrival at the backend to last token (ms), queueing included. */
  e2e_ms: number;
  output_tokens: number;
  /** Prompt tokens served from cache. */
  cached_tokens: number;
  /** Set when kind is 'error' for a reason worth reporting (crash, load failure). */
  detail?: string;
  /**
   * Set (true) when kind is 'error' because the request itself is invalid (vLLM's 400 for a request longer
   * than max_model_len): the router does not retry it and outlier detection does not count it.
   */
  client_error?: boolean;
}

/** What a backend is given by the driver. */
export interface BackendHost {
  now(): number;
  /** Report an attempt's end. Must be called exactly once per accepted attempt. */
  complete(outcome: AttemptOutcome): void;
  /**
   * Optional, for hosts that stream (the gateway): accepted attempt `id` has produced `tokens` output
   * tokens by now, and its last token is due at `endAt` on the host's clock (NaN: not known yet). Simulated
   * models call it once, at the first token; gguf models at every token. Never called for an attempt that
   * fails before its first token; complete() still follows.
   */
  progress?(id: number, tokens: number, endAt: number): void;
}

export type SubmitResult = 'accepted' | 'queue_full' | 'rate_limited' | 'unavailable';

export interface Backend {
  readonly modelId: string;
  /** Take an attempt now, or refuse it at once (nothing will be reported for a refused attempt). */
  submit(attempt: AttemptSpec): SubmitResult;
  /**
   * Give up on accepted attempt `id` now (a timeout): it leaves the queue, or its slot and KV are freed
   * (the next queued attempt may start), and NO outcome is reported for it afterwards. Returns false when
   * the backend no longer holds it (already reported, or never accepted); then nothing changes.
   */
  cancel(id: number): boolean;
  /** The timeline's fault controls, or null for a backend that cannot simulate faults (a real model). */
  readonly faults: BackendFaults | null;
  inService(): number;
  queued(): number;
  /** Release resources (models, contexts); idempotent. */
  close(): Promise<void>;
}

/**
 * Faults a backend can be put through (scenario fault events: crash, hang, flap). Every method acts at
 * the backend's now; calling one in the state it already is in (crash while down, stall(true) while
 * stalled) changes nothing.
 */
export interface BackendFaults {
  /**
   * The model process dies: every attempt it holds (in service, queued, or about to fail) is reported at
   * once, before crash() returns, as kind 'error' with detail 'crash'; its caches (prefix/KV, observed hit
   * rate) are emptied; until restart() every submit() returns 'unavailable' and probes fail.
   */
  crash(): void;
  /**
   * Back after a crash (nothing when not down): accepts attempts again with empty caches; for the next
   * `warmupMs` every service time (ttft, tpot, prefill, decode step) is `slowdown` (>= 1) times longer.
   */
  restart(warmupMs: number, slowdown: number): void;
  /**
   * stall(true): the model keeps accepting attempts but makes no progress — attempts in service stop where
   * they are, nothing starts, probes fail; stall(false): everything resumes, each attempt later by the
   * time it stalled. Cancel and crash still act while stalled.
   */
  stall(on: boolean): void;
  /** True between crash() and restart(). */
  isDown(): boolean;
}

/** One model's serving figures over a run, as the report reads them (a snapshot taken when the run ends). */
export interface BackendStats {
  /** Attempts that started service (each looks the prompt up in the cache), and those with a cached token. */
  cache_lookups: number;
  cache_hits: number;
  /** Prompt tokens of those attempts, and how many of them were served from cache. */
  prompt_tokens: number;
  cached_tokens: number;
  /** Busy slot-time / available slot-time over the run, 0..1 (0 before any time has passed). */
  utilization: number;
  /** A serving engine's own figures (simulated engine models only; absent for every other backend). */
  engine?: EngineStats;
}

/** What a simulated serving engine (backends/sim/vllm/) did over a run. */
export interface EngineStats {
  /** Engine steps run (one forward pass each). */
  steps: number;
  /** Running sequences preempted for lack of KV blocks (each recomputed later). */
  preemptions: number;
  /** KV blocks of the server. */
  kv_blocks: number;
  /** Most KV blocks held at once / kv_blocks, 0..1. */
  kv_peak_usage: number;
  /** Cached prefix units evicted to make room. */
  prefix_evictions: number;
}
