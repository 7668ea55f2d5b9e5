/** What a simulated model counts, its reused outcome, and the kinds of the engine events it schedules. */
import type { AttemptOutcome } from '../backend.js';

/** Counters of one model over the run (live object; read, do not write). */
export interface SimModelStats {
  /** Attempts accepted (including those errored for ill health). */
  accepted: number;
  completed: number;
  /** Attempts reported as 'error' (failure_rate draws and unhealthy fast errors). */
  failed: number;
  rate_limited: number;
  queue_full: number;
  /** Prompt tokens of attempts that started service (cache lookups). */
  prompt_tokens: number;
  /** Of those, served from cache. */
  cached_tokens: number;
  /** Output tokens of completed attempts. */
  output_tokens: number;
}

/** Event kinds a model schedules on itself (arg = pool index, or unused for steps). */
export const EV_DONE = 0;
export const EV_FAST_ERROR = 1;
export const EV_FIRST_TOKEN = 2;
export const EV_STEP = 3;
export const EV_WARM_END = 4;

/** Fresh zero counters. */
export function newModelStats(): SimModelStats {
  return {
    accepted: 0,
    completed: 0,
    failed: 0,
    rate_limited: 0,
    queue_full: 0,
    prompt_tokens: 0,
    cached_tokens: 0,
    output_tokens: 0,
  };
}

/** A blank outcome (each model reuses one). */
export function newOutcome(): AttemptOutcome {
  return {
    id: 0,
    kind: 'ok',
    queue_ms: 0,
    ttft_ms: 0,
    e2e_ms: 0,
    output_tokens: 0,
    cached_tokens: 0,
    detail: undefined,
    client_error: undefined,
  };
}
