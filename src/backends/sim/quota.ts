/**
 * A model's rate limit. Semantics: fixed one-minute windows aligned to t = 0 (window k covers
 * [k·60 s, (k+1)·60 s)); within a window at most requests_per_minute requests and tokens_per_minute tokens
 * are admitted; an attempt is charged at submit, one request plus its prompt + output tokens; an attempt
 * without room is refused ('rate_limited') and charged nothing. `initial_used` pre-spends that share of
 * both limits in window 0 only. Infinity = no limit.
 */
import type { QuotaSpec } from '../../core/types.js';
import { QUOTA_WINDOW_MS } from './constants.js';

export class QuotaWindow {
  tokensPerMinute: number;
  requestsPerMinute: number;
  private window = 0;
  private usedTokens: number;
  private usedRequests: number;
  /** Totals charged over the whole run. */
  totalTokens = 0;
  totalRequests = 0;

  constructor(spec: QuotaSpec) {
    this.tokensPerMinute = spec.tokens_per_minute;
    this.requestsPerMinute = spec.requests_per_minute;
    const u = spec.initial_used;
    this.usedTokens = Number.isFinite(spec.tokens_per_minute) ? u * spec.tokens_per_minute : 0;
    this.usedRequests = Number.isFinite(spec.requests_per_minute) ? u * spec.requests_per_minute : 0;
  }

  private roll(now: number): void {
    const w = Math.floor(now / QUOTA_WINDOW_MS);
    if (w !== this.window) {
      this.window = w;
      this.usedTokens = 0;
      this.usedRequests = 0;
    }
  }

  /** True when one more request of `tokens` tokens fits in the window that holds `now`. */
  hasRoom(now: number, tokens: number): boolean {
    this.roll(now);
    return (
      this.usedRequests + 1 <= this.requestsPerMinute && this.usedTokens + tokens <= this.tokensPerMinute
    );
  }

  charge(now: number, tokens: number): void {
    this.roll(now);
    this.usedRequests += 1;
    this.usedTokens += tokens;
    this.totalRequests += 1;
    this.totalTokens += tokens;
  }

  /** Share of the current window spent, 0..1: the larger of the token and request shares. */
  usage(now: number): number {
    this.roll(now);
    let u = 0;
    if (Number.isFinite(this.tokensPerMinute)) {
      u = this.tokensPerMinute > 0 ? this.usedTokens / this.tokensPerMinute : 1;
    }
    if (Number.isFinite(this.requestsPerMinute)) {
      u = Math.max(u, this.requestsPerMinute > 0 ? this.usedRequests / this.requestsPerMinute : 1);
    }
    return Math.min(u, 1);
  }

  /** Tokens and requests spent in the current window. */
  used(now: number): { tokens: number; requests: number } {
    this.roll(now);
    return { tokens: this.usedTokens, requests: this.usedRequests };
  }

  /** New limits take effect at once; what the current window already spent stays spent. */
  setLimits(tokensPerMinute: number, requestsPerMinute: number): void {
    this.tokensPerMinute = tokensPerMinute;
    this.requestsPerMinute = requestsPerMinute;
  }
}

/** `q` with new limits (its window's spending stays), or a new empty window when there is none. */
export function withLimits(
  q: QuotaWindow | null,
  tokensPerMinute: number,
  requestsPerMinute: number,
): QuotaWindow {
  if (q === null) {
    return new QuotaWindow({
      tokens_per_minute: tokensPerMinute,
      requests_per_minute: requestsPerMinute,
      initial_used: 0,
    });
  }
  q.setLimits(tokensPerMinute, requestsPerMinute);
  return q;
}
