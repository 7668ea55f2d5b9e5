/**
 * How an OpenAI-compatible server's answers map to the router's outcome kinds, so that health checks,
 * outlier detection, retries and fallback treat a real endpoint as they treat a simulated one:
 *   429                                 → rate_limited (its Retry-After honoured by the caller)
 *   408, 504, our own timeout, connect
 *   or headers/body timeouts            → timeout
 *   5xx, other 4xx, connection refused,
 *   reset, DNS failure, a broken stream → error
 */
import type { OutcomeKind } from '../../router/types.js';

/** The outcome kind of an HTTP status that is not 2xx. */
export function statusKind(status: number): Exclude<OutcomeKind, 'ok' | 'rejected'> {
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 504) return 'timeout';
  return 'error';
}

/** What retryAfterMs reads headers through (a fetch Headers is one). */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** Longest wait a Retry-After is believed (a server asking for more is capped at this). */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Milliseconds to wait, from `retry-after-ms` (OpenAI's, preferred) or `Retry-After` (delta-seconds, possibly
 * fractional, or an HTTP date, measured against `nowMs`, the wall clock in ms since the epoch); null when
 * neither is present or readable. Negative waits are 0; long ones are capped at MAX_RETRY_AFTER_MS.
 */
export function retryAfterMs(headers: HeaderLookup, nowMs: number): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return clampWait(Number(ms));
  const v = headers.get('retry-after');
  if (v === null) return null;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return clampWait(Number(t) * 1000);
  const date = Date.parse(t);
  return Number.isNaN(date) ? null : clampWait(date - nowMs);
}

function clampWait(ms: number): number {
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** Node's network error codes (fetch puts them on `cause`) that mean the attempt timed out. */
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const DESCRIBED: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
};

/** A failed request or body read: its kind and a short reason (e.g. "connection refused"). */
export function networkFailure(err: unknown): { kind: 'error' | 'timeout'; detail: string } {
  const code = errorCode(err);
  if (code !== null && TIMEOUT_CODES.has(code)) return { kind: 'timeout', detail: `timed out (${code})` };
  if (code !== null) return { kind: 'error', detail: DESCRIBED[code] ?? code };
  // fetch's own TypeError says only "fetch failed"; its cause says why (e.g. "bad port").
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return { kind: 'error', detail: e instanceof Error ? e.message : String(e) };
}

function errorCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
