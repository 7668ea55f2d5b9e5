/**
 * The router's statistics: what each decision was made by (strategy names, then 'affinity', 'ab_test',
 * 'preferred'), outcome and retry counts, and the RouterStats snapshot built from them (allocates; not for
 * the hot path). Counting is a field increment, so route() stays allocation-free.
 */
import type { AffinityTable } from './affinity.js';
import type { RouteTiming, RoutingTimeEstimate } from './timing.js';

export interface RouterStats {
  /** route() calls, retries included. */
  total_routes: number;
  /** done() calls with an ok outcome. */
  successful: number;
  /** done() calls with any other outcome. */
  failed: number;
  /** Decisions that needed a relaxed filter. */
  fallbacks: number;
  /** Retries asked for by done(). */
  retries: number;
  /** Retries that max_retries allowed but router.retry_budget refused (the request finished instead). */
  retries_denied: number;
  /** route() calls that found no model at all. */
  rejected: number;
  /** Decisions by what made them: strategy names, 'affinity', 'ab_test', 'preferred'. */
  strategy_counts: Record<string, number>;
  affinity: { hits: number; misses: number; stale_hits: number; expired: number; entries: number };
  ab: { a: number; b: number };
  /** Wall time spent in route() (sampled, timing.ts), when a stopwatch was given. */
  routing_time_us: RoutingTimeEstimate | null;
}

/** Counters of one router; decision sources are indices into `sourceNames`. */
export class RouterCounters {
  /** The registry's strategy names, then 'affinity', 'ab_test', 'preferred'. */
  readonly sourceNames: readonly string[];
  readonly affinitySource: number;
  readonly abSource: number;
  readonly preferredSource: number;
  readonly bySource: Float64Array;
  totalRoutes = 0;
  successful = 0;
  failed = 0;
  fallbacks = 0;
  retries = 0;
  retriesDenied = 0;
  rejected = 0;
  abA = 0;
  abB = 0;

  constructor(strategyNames: readonly string[]) {
    const k = strategyNames.length;
    this.sourceNames = [...strategyNames, 'affinity', 'ab_test', 'preferred'];
    this.affinitySource = k;
    this.abSource = k + 1;
    this.preferredSource = k + 2;
    this.bySource = new Float64Array(this.sourceNames.length);
  }

  /** The snapshot; `strategy` (the one in force) is listed even with no decision. */
  toStats(strategy: string, affinity: AffinityTable, timing: RouteTiming): RouterStats {
    const counts: Record<string, number> = {};
    this.sourceNames.forEach((name, k) => {
      if (this.bySource[k] > 0 || name === strategy) counts[name] = this.bySource[k];
    });
    return {
      total_routes: this.totalRoutes,
      successful: this.successful,
      failed: this.failed,
      fallbacks: this.fallbacks,
      retries: this.retries,
      retries_denied: this.retriesDenied,
      rejected: this.rejected,
      strategy_counts: counts,
      affinity: {
        hits: affinity.hits,
        misses: affinity.misses,
        stale_hits: affinity.staleHits,
        expired: affinity.expired,
        entries: affinity.size,
      },
      ab: { a: this.abA, b: this.abB },
      routing_time_us: timing.estimate(this.totalRoutes),
    };
  }
}
