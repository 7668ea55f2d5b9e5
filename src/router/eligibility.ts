/**
 * Steps (1), (2) and (7) of route(): which models may take a request. One pass over the registry sets each
 * model's filter flags, fills the pick context's per-model inputs (load with a LoadView; quota usage and
 * cache hit rate only when the picker uses them) and its strict eligible set. When that set is empty, or
 * the request is a retry, the fallback levels of filters.ts relax the filters in order, and models already
 * tried count only when nothing else is eligible. Allocates nothing per request.
 */
import type { RoutingConfig } from './config.js';
import {
  F_CAPS,
  F_CONTEXT,
  F_DEGRADED,
  F_LOAD,
  F_QUOTA,
  F_TRIED,
  F_UNHEALTHY,
  hasAll,
  LEVEL_MASKS,
} from './filters.js';
import type { PickContext, Uses } from './strategy.js';
import type { ModelInfo, RouteRequest } from './types.js';
import type { CacheView, LoadView, QuotaView, Registry } from './views.js';

/** The views the filters read; any may be absent. */
export interface FilterViews {
  load: LoadView | undefined;
  quota: QuotaView | undefined;
  cache: CacheView | undefined;
}

/** The eligibility of every model for one request, over the registry's model list at construction. */
export class Eligibility {
  /** Union of every model's flags in the last pass: what removed models, for the rejection reason. */
  seen = 0;
  /** Fallback level of the last select(): 0 = strict filters. */
  level = 0;
  private mask = LEVEL_MASKS[0];
  private readonly flags: Uint8Array;
  private readonly n: number;

  constructor(
    private readonly registry: Registry,
    private readonly models: readonly ModelInfo[],
    private readonly ctx: PickContext,
    private readonly views: FilterViews,
  ) {
    this.n = models.length;
    this.flags = new Uint8Array(this.n);
  }

  /** True when model `i` passes the filters in force after select(). */
  passes(i: number): boolean {
    return (this.flags[i] & this.mask) === 0;
  }

  /**
   * Fills ctx.eligible (ascending) with the models that may take attempt number `attempts` of `req` and
   * returns their count, 0 when none may even at the last fallback level; sets `level` and `seen`.
   */
  select(req: RouteRequest, attempts: number, c: Readonly<RoutingConfig>, uses: Uses): number {
    const n = this.n;
    const flags = this.flags;
    const strictCount = this.filter(req, c, uses);
    const tried = req.tried;
    let anyTried = false;
    if (attempts > 1 && tried !== undefined) {
      for (let k = 0; k < tried.length; k++) {
        const t = tried[k];
        if (t >= 0 && t < n) {
          flags[t] |= F_TRIED;
          anyTried = true;
        }
      }
    }
    let level = 0;
    let mask = LEVEL_MASKS[0];
    let count = strictCount;
    this.ctx.count = count;
    if (anyTried || count === 0) {
      for (; level < LEVEL_MASKS.length; level++) {
        mask = LEVEL_MASKS[level] | F_TRIED;
        count = this.collect(mask);
        if (count === 0 && anyTried) {
          mask = LEVEL_MASKS[level];
          count = this.collect(mask);
        }
        if (count > 0) break;
      }
    }
    this.level = level;
    this.mask = mask;
    return count;
  }

  /**
   * Sets every model's flags and per-model inputs, fills ctx.eligible with the models passing the strict
   * filters and returns their count. (A separate function, too large to be inlined into select, so it gets
   * its own inlining budget and the views' getters inline: a getter that is called, not inlined, boxes the
   * double it returns, which would allocate per model.)
   */
  private filter(req: RouteRequest, c: Readonly<RoutingConfig>, uses: Uses): number {
    const s = this.ctx;
    const n = this.n;
    const flags = this.flags;
    const registry = this.registry;
    const models = this.models;
    const loadView = this.views.load;
    const qv = this.views.quota;
    // No model has a quota: every check would pass.
    const quotaView = c.quota_checks && qv !== undefined && qv.noQuotas?.() !== true ? qv : undefined;
    const usage = uses.quota ? this.views.quota : undefined;
    const cacheView = uses.cache ? this.views.cache : undefined;
    const threshold = c.max_load_threshold;
    const tokens = req.estimated_tokens;
    const caps = req.capabilities;
    const needCaps = caps !== undefined && caps.length > 0;
    const healthChecks = c.health_checks;
    // Every model healthy (the registry's healthy list is whole): no health flag to set.
    const allHealthy = registry.getHealthyModels().length === n;
    const loadArr = s.load;
    const eligible = s.eligible;
    const strict = LEVEL_MASKS[0];
    let count = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      if (!allHealthy) {
        const h = registry.healthOf(i);
        if (h === 'degraded') {
          if (healthChecks) f |= F_DEGRADED;
        } else if (h !== 'healthy') f |= F_UNHEALTHY;
      }
      if (loadView !== undefined) {
        const l = loadView.load(i);
        loadArr[i] = l;
        if (l > threshold) f |= F_LOAD;
      }
      if (quotaView !== undefined && !quotaView.checkQuota(i, tokens)) f |= F_QUOTA;
      if (usage !== undefined) s.quota[i] = usage.usage(i);
      if (cacheView !== undefined) s.cache[i] = cacheView.getCacheHitRate(i);
      const m = models[i];
      if (tokens > m.context_length) f |= F_CONTEXT;
      if (needCaps && !hasAll(m.capabilities, caps)) f |= F_CAPS;
      flags[i] = f;
      seen |= f;
      if ((f & strict) === 0) eligible[count++] = i;
    }
    this.seen = seen;
    return count;
  }

  /** Fills ctx.eligible with the models passing `mask`; returns the count. */
  private collect(mask: number): number {
    const flags = this.flags;
    const eligible = this.ctx.eligible;
    let count = 0;
    for (let i = 0; i < this.n; i++) if ((flags[i] & mask) === 0) eligible[count++] = i;
    this.ctx.count = count;
    return count;
  }
}
