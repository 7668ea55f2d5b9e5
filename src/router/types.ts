/**
 * The router's vocabulary: models, requests, decisions and outcomes.
 * Times are milliseconds on the injected Clock; scores are 0..1 where 1 is best.
 */

import type { Health } from '../core/types.js';

export type { Health };

/** Static description of a model the router can send traffic to. */
export interface ModelInfo {
  readonly id: string;
  /** Slots served at once; load = (in service + queued) / max_concurrency. */
  readonly max_concurrency: number;
  /** Largest prompt + output the model accepts, in tokens (Infinity when unknown). */
  readonly context_length: number;
  /** Capabilities a request may require (e.g. "code", "vision"); empty means none advertised. */
  readonly capabilities: readonly string[];
  /** Relative weight for weighted_random (> 0). */
  readonly weight: number;
  /** Price used by cost-aware strategies. */
  readonly cost_per_1k_tokens: number;
}

/**
 * One request as the router sees it. `attempts` and `tried` are owned by the router: it sets them when a
 * request is retried so that the next route() call avoids models that already failed it.
 */
export interface RouteRequest {
  /** Prompt + expected output tokens; used for quota and context-length checks. */
  estimated_tokens: number;
  session_id?: string;
  preferred_model?: string;
  /** Capabilities the model must advertise. */
  capabilities?: readonly string[];
  tags?: readonly string[];
  /** Prefix block ids (equal id = equal content) for prefix-aware routing. */
  prefix_blocks?: ArrayLike<number>;
  priority?: number;
  /** Router-owned: attempts made so far (0 before the first route()). */
  attempts?: number;
  /** Router-owned: indices of models already tried for this request. */
  tried?: number[];
}

/**
 * The router's answer. The object is owned by the router and overwritten by the next route() call
 * (this keeps the hot path allocation-free); copy what you keep.
 */
export interface RoutingDecision {
  /** Chosen model id, or '' when the request was rejected. */
  model_id: string;
  /** Index of the chosen model in registry.listModels(), or -1 when rejected. */
  model_index: number;
  /** Human-readable explanation (constant strings on the hot path). */
  reason: string;
  load_score: number;
  cache_score: number;
  quota_score: number;
  health_score: number;
  total_score: number;
  /** Models tried for this request including this one (1 on a first attempt). */
  attempted_models: number;
  /** True when filters had to be relaxed to find a model. */
  fallback_used: boolean;
  /** True when no model could take the request at all. */
  rejected: boolean;
  /** What made the choice: a strategy name, 'affinity', 'ab_test', 'preferred', 'fallback' or 'rejected'. */
  source: string;
}

export type OutcomeKind = 'ok' | 'error' | 'rate_limited' | 'timeout' | 'rejected';

/** What a backend reports back for one attempt. */
export interface Outcome {
  model_index: number;
  kind: OutcomeKind;
  /** End-to-end latency of the attempt (ms); NaN when it never ran. */
  latency_ms: number;
  /** Time to first token (ms); NaN when unknown. */
  ttft_ms?: number;
  /**
   * The request itself was refused as invalid (an HTTP 4xx such as vLLM's 400 for a prompt longer than
   * max_model_len): no model would serve it, so it is not retried. Absent or false otherwise.
   */
  client_error?: boolean;
}
