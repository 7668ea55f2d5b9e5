/**
 * What the router learns from an attempt's outcome: the observed-latency EWMA of the model, and whether
 * (and after what delay) to route the request again. A non-ok outcome with attempts <= max_retries asks for
 * another route() after retry_delay_ms * retry_backoff^(attempts-1) ms (100, 200, 400 by default), and
 * records the model in `req.tried` so the retried route avoids it whenever any other model is eligible.
 */
import type { RoutingConfig } from './config.js';
import type { Outcome, RouteRequest } from './types.js';

/** Folds an ok or timed-out attempt's finite latency into `latency[i]` (the first sample seeds it). */
export function observeLatency(latency: Float64Array, i: number, outcome: Outcome, alpha: number): void {
  if ((outcome.kind !== 'ok' && outcome.kind !== 'timeout') || !Number.isFinite(outcome.latency_ms)) return;
  const prev = latency[i];
  latency[i] = Number.isNaN(prev) ? outcome.latency_ms : prev + alpha * (outcome.latency_ms - prev);
}

/** The delay in ms before retrying `req` after a failed attempt on `modelIndex`, or -1 when out of retries. */
export function retryDelay(c: Readonly<RoutingConfig>, req: RouteRequest, modelIndex: number): number {
  const attempts = req.attempts ?? 1;
  if (attempts > c.max_retries) return -1;
  if (req.tried === undefined) req.tried = [];
  req.tried.push(modelIndex);
  return c.retry_delay_ms * c.retry_backoff ** (attempts - 1);
}
