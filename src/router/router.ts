/**
 * Router: the product's request router. route(req) picks a model through the pipeline of DESIGN.md
 * (candidates -> filters -> preferred -> session affinity -> A/B -> strategy -> fallback -> rejection) and
 * returns a RoutingDecision that the router owns and overwrites on the next call; done(req, outcome) feeds
 * the attempt's outcome back and says whether (and after what delay) to route the request again.
 *
 * Fallback relaxes filters in this order: (1) the load threshold, (2) degraded health, (3) quota. It never
 * admits an unhealthy model, one whose context is too short, or one that lacks a required capability.
 * Retries: a non-ok outcome with attempts <= max_retries asks for another route() after
 * retry_delay_ms * retry_backoff^(attempts-1) ms (100, 200, 400 by default); the retried route avoids the
 * models already tried whenever any other model is eligible.
 *
 * Preferred model, affinity and A/B apply only when their model passes the filters in force; otherwise the
 * strategy picks (an A/B draw whose arm is ineligible falls through to the strategy and is not counted).
 * Scores are 0..1: load 1 - min(load, 1) (1 without a LoadView), cache hit rate (0 without a CacheView),
 * quota 1 - usage (1 without a QuotaView), health 1 / 0.5 / 0; total_score is the strategy's score, or the
 * mean of the four when preferred/affinity/A-B chose.
 *
 * Hot path: no allocation per decision in steady state. Per-model typed arrays are sized at construction
 * and rebuilt only when registry.version() changes; reasons are constant strings.
 * Throws RoutingConfigError (construction, setConfig) for a bad config; route() and done() do not throw.
 */
import type { Clock } from '../engine/clock.js';
import type { Rng } from '../engine/rng.js';
import { getStrategy } from '../strategies/registry.js';
import { AffinityTable } from './affinity.js';
import { type RoutingConfig, STRATEGY_NAMES } from './config.js';
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
  LEVEL_NOTES,
  loadScore,
  rejectReason,
} from './filters.js';
import { formatStatus } from './status.js';
import { createSnapshot, type Picker, type Snapshot } from './strategy.js';
import { TimingHistogram } from './timing.js';
import type { ModelInfo, Outcome, RouteRequest, RoutingDecision } from './types.js';
import { resolveRoutingConfig } from './validate.js';
import type { CacheView, LoadView, QuotaView, Registry } from './views.js';

export interface RouterDeps {
  registry: Registry;
  cache?: CacheView;
  quota?: QuotaView;
  load?: LoadView;
  clock: Clock;
  rng: Rng;
  /** High-resolution wall time in ms, for routing-time statistics only; absent = not measured. */
  stopwatch?: () => number;
}

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
  /** route() calls that found no model at all. */
  rejected: number;
  /** Decisions by what made them: strategy names, 'affinity', 'ab_test', 'preferred'. */
  strategy_counts: Record<string, number>;
  affinity: { hits: number; misses: number; expired: number; entries: number };
  ab: { a: number; b: number };
  /** Wall time spent in route(), when a stopwatch was given. */
  routing_time_us: { mean: number; p99: number } | null;
}

// Sources beyond the strategy names, for strategy_counts.
const SRC_AFFINITY = STRATEGY_NAMES.length;
const SRC_AB = SRC_AFFINITY + 1;
const SRC_PREFERRED = SRC_AFFINITY + 2;
const SOURCE_NAMES: readonly string[] = [...STRATEGY_NAMES, 'affinity', 'ab_test', 'preferred'];

const R_PREFERRED = 'preferred model requested and eligible';
const R_AFFINITY = 'session affinity: pinned model still eligible';
const R_AB_A = 'A/B test: model_a arm';
const R_AB_B = 'A/B test: model_b arm';
const R_NO_MODELS = 'rejected: no models registered';

export class Router {
  private config: RoutingConfig;
  private readonly registry: Registry;
  private readonly cacheView: CacheView | undefined;
  private readonly quotaView: QuotaView | undefined;
  private readonly loadView: LoadView | undefined;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly stopwatch: (() => number) | undefined;

  private picker!: Picker;
  private strategyIndex = 0;
  private regVersion = Number.NaN;
  private models: readonly ModelInfo[] = [];
  private ids: string[] = [];
  private n = 0;
  private flags = new Uint8Array(0);
  private snap: Snapshot;
  private abA = -1;
  private abB = -1;
  private affinityOn = false;
  private seen = 0;

  private readonly decision: RoutingDecision = {
    model_id: '',
    model_index: -1,
    reason: '',
    load_score: 0,
    cache_score: 0,
    quota_score: 0,
    health_score: 0,
    total_score: 0,
    attempted_models: 0,
    fallback_used: false,
    rejected: false,
    source: '',
  };

  private readonly affinity = new AffinityTable();
  private readonly timing = new TimingHistogram();
  private readonly sourceCounts = new Float64Array(SOURCE_NAMES.length);
  private readonly rejectReasons: string[] = [];
  private readonly fallbackReasons = LEVEL_NOTES.map(() => new Map<string, string>());
  private totalRoutes = 0;
  private successful = 0;
  private failed = 0;
  private fallbacks = 0;
  private retries = 0;
  private rejected = 0;
  private abCountA = 0;
  private abCountB = 0;

  /** Validates `config` against the registry's models (throws RoutingConfigError) and builds the strategy. */
  constructor(config: Partial<RoutingConfig>, deps: RouterDeps) {
    this.registry = deps.registry;
    this.cacheView = deps.cache;
    this.quotaView = deps.quota;
    this.loadView = deps.load;
    this.clock = deps.clock;
    this.rng = deps.rng;
    this.stopwatch = deps.stopwatch;
    const ids = this.registry.listModels().map((m) => m.id);
    this.config = resolveRoutingConfig(config, ids);
    this.snap = createSnapshot(0, this.rng, { estimated_tokens: 0 });
    this.rebuild();
  }

  /** The effective configuration (every default filled in). */
  getConfig(): Readonly<RoutingConfig> {
    return this.config;
  }

  /**
   * Switches configuration from now on: `changes` are merged over the current config and validated
   * (throws RoutingConfigError and keeps the old config). A changed strategy or strategy_options builds
   * a fresh picker; statistics, latency estimates and affinity entries are kept.
   */
  setConfig(changes: Partial<RoutingConfig>): void {
    const next = resolveRoutingConfig({ ...this.config, ...changes }, this.ids);
    const rebuildPicker =
      next.strategy !== this.config.strategy ||
      JSON.stringify(next.strategy_options) !== JSON.stringify(this.config.strategy_options);
    this.config = next;
    this.applyConfig(rebuildPicker);
  }

  private applyConfig(rebuildPicker: boolean): void {
    const c = this.config;
    if (rebuildPicker) {
      this.picker = getStrategy(c.strategy).build(c.strategy_options, { models: this.models, config: c });
    }
    this.strategyIndex = STRATEGY_NAMES.indexOf(c.strategy);
    this.affinityOn = c.session_affinity || c.strategy === 'affinity_based';
    this.abA = c.ab_test ? this.registry.indexOf(c.ab_test.model_a) : -1;
    this.abB = c.ab_test ? this.registry.indexOf(c.ab_test.model_b) : -1;
    const s = this.snap;
    s.cacheOptimization = c.cache_optimization;
    s.minCacheHitRate = c.min_cache_hit_rate;
  }

  /** (Re)sizes the per-model tables for the registry's current model list. */
  private rebuild(): void {
    const oldIds = this.ids;
    const oldLatency = this.snap.latency;
    this.regVersion = this.registry.version();
    this.models = this.registry.listModels();
    const n = this.models.length;
    this.n = n;
    this.ids = this.models.map((m) => m.id);
    this.flags = new Uint8Array(n);
    const s = createSnapshot(n, this.rng, this.snap.request);
    for (let i = 0; i < n; i++) {
      const m = this.models[i];
      s.weight[i] = m.weight;
      s.cost[i] = m.cost_per_1k_tokens;
      const old = oldIds.indexOf(m.id);
      if (old >= 0) s.latency[i] = oldLatency[old];
    }
    s.hasLoad = this.loadView !== undefined;
    s.hasCache = this.cacheView !== undefined;
    s.hasQuota = this.quotaView !== undefined;
    s.cacheView = this.cacheView ?? null;
    this.snap = s;
    if (oldIds.length > 0) {
      const ids = this.ids;
      this.affinity.remap((old) => ids.indexOf(oldIds[old]));
    }
    this.applyConfig(true);
  }

  /** Routes one attempt of `req`. The returned object is reused by the next call: copy what you keep. */
  route(req: RouteRequest): RoutingDecision {
    const sw = this.stopwatch;
    if (sw === undefined) return this.routeInner(req);
    const t0 = sw();
    const d = this.routeInner(req);
    this.timing.record((sw() - t0) * 1000);
    return d;
  }

  private routeInner(req: RouteRequest): RoutingDecision {
    if (this.registry.version() !== this.regVersion) this.rebuild();
    const c = this.config;
    const d = this.decision;
    const s = this.snap;
    const n = this.n;
    const now = this.clock.now();
    this.totalRoutes++;
    const attempts = (req.attempts ?? 0) + 1;
    req.attempts = attempts;
    const tried = req.tried;
    if (attempts === 1 && tried !== undefined) tried.length = 0;

    // (1)+(2): candidates and filter flags; the strict eligible set comes out of the same pass.
    const strict = LEVEL_MASKS[0];
    const strictCount = this.filter(req);
    const seen = this.seen;
    const flags = this.flags;
    const registry = this.registry;
    const loadView = this.loadView;
    const loadArr = s.load;
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

    // (7) fallback levels: the strict filters first; tried models only when nothing else is eligible.
    let level = 0;
    let mask = strict;
    let count = strictCount;
    s.count = count;
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
    d.attempted_models = attempts;
    if (count === 0) return this.reject(seen);

    // (3) preferred, (4) affinity, (5) A/B, (6) strategy.
    s.request = req;
    s.now = now;
    let idx = -1;
    let src = this.strategyIndex;
    let reason = '';
    const pref = req.preferred_model;
    if (pref !== undefined) {
      const p = registry.indexOf(pref);
      if (p >= 0 && (flags[p] & mask) === 0) {
        idx = p;
        src = SRC_PREFERRED;
        reason = R_PREFERRED;
      }
    }
    const session = this.affinityOn ? req.session_id : undefined;
    if (idx < 0 && session !== undefined) {
      const p = this.affinity.lookup(session, now, c.affinity_timeout_ms);
      if (p >= 0 && p < n && (flags[p] & mask) === 0) {
        idx = p;
        src = SRC_AFFINITY;
        reason = R_AFFINITY;
        this.affinity.hits++;
      } else this.affinity.misses++;
    }
    if (idx < 0 && c.ab_test !== null && this.abA >= 0) {
      const toA = this.rng.next() < c.ab_test.split;
      const p = toA ? this.abA : this.abB;
      if (p >= 0 && (flags[p] & mask) === 0) {
        idx = p;
        src = SRC_AB;
        reason = toA ? R_AB_A : R_AB_B;
        if (toA) this.abCountA++;
        else this.abCountB++;
      }
    }
    let total = Number.NaN;
    if (idx < 0) {
      s.score = 0;
      s.reason = '';
      idx = this.picker.pick(s);
      if (idx < 0 || idx >= n || (flags[idx] & mask) !== 0) idx = s.eligible[0]; // a picker bug must not route badly
      total = s.score;
      reason = s.reason;
    }
    if (session !== undefined && src !== SRC_AFFINITY) this.affinity.pin(session, idx, now);

    // Scores and the decision.
    const ls = loadView === undefined ? 1 : loadScore(loadArr[idx]);
    const cs = this.cacheView === undefined ? 0 : this.cacheView.getCacheHitRate(idx);
    const qs = this.quotaView === undefined ? 1 : 1 - this.quotaView.usage(idx);
    const h = registry.healthOf(idx);
    const hs = h === 'healthy' ? 1 : h === 'degraded' ? 0.5 : 0;
    d.model_id = this.ids[idx];
    d.model_index = idx;
    d.load_score = ls;
    d.cache_score = cs;
    d.quota_score = qs;
    d.health_score = hs;
    d.total_score = !Number.isNaN(total) ? total : (ls + cs + qs + hs) / 4;
    d.fallback_used = level > 0;
    d.rejected = false;
    d.source = SOURCE_NAMES[src];
    d.reason = level > 0 ? this.fallbackReason(level, reason) : reason;
    if (level > 0) this.fallbacks++;
    this.sourceCounts[src]++;
    registry.markUsed(idx, now);
    return d;
  }

  /**
   * Sets every model's filter flags, load, quota usage and cache hit rate (the last two only
   * when the picker uses them), fills snap.eligible with the models passing the
   * strict filters and returns their count; this.seen gets the union of the flags. (A separate function, too
   * large to be inlined into routeInner, so it gets its own inlining budget and the views' getters inline:
   * a getter that is called, not inlined, boxes the double it returns, which would allocate per model.)
   */
  private filter(req: RouteRequest): number {
    const c = this.config;
    const s = this.snap;
    const n = this.n;
    const flags = this.flags;
    const registry = this.registry;
    const models = this.models;
    const loadView = this.loadView;
    const quotaView = c.quota_checks ? this.quotaView : undefined;
    const usage = this.picker.uses.quota ? this.quotaView : undefined;
    const cacheView = this.picker.uses.cache ? this.cacheView : undefined;
    const threshold = c.max_load_threshold;
    const tokens = req.estimated_tokens;
    const caps = req.capabilities;
    const needCaps = caps !== undefined && caps.length > 0;
    const healthChecks = c.health_checks;
    const loadArr = s.load;
    const eligible = s.eligible;
    const strict = LEVEL_MASKS[0];
    let count = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      const h = registry.healthOf(i);
      if (h === 'degraded') {
        if (healthChecks) f |= F_DEGRADED;
      } else if (h !== 'healthy') f |= F_UNHEALTHY;
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

  /** Fills snap.eligible with the models passing `mask`; returns the count. */
  private collect(mask: number): number {
    const flags = this.flags;
    const eligible = this.snap.eligible;
    let count = 0;
    for (let i = 0; i < this.n; i++) if ((flags[i] & mask) === 0) eligible[count++] = i;
    this.snap.count = count;
    return count;
  }

  private reject(seen: number): RoutingDecision {
    const d = this.decision;
    this.rejected++;
    let reason = this.n === 0 ? R_NO_MODELS : this.rejectReasons[seen];
    if (reason === undefined) reason = this.rejectReasons[seen] = rejectReason(seen);
    d.model_id = '';
    d.model_index = -1;
    d.reason = reason;
    d.load_score = 0;
    d.cache_score = 0;
    d.quota_score = 0;
    d.health_score = 0;
    d.total_score = 0;
    d.fallback_used = false;
    d.rejected = true;
    d.source = 'rejected';
    return d;
  }

  private fallbackReason(level: number, reason: string): string {
    const cache = this.fallbackReasons[level];
    let r = cache.get(reason);
    if (r === undefined) {
      r = LEVEL_NOTES[level] + reason;
      cache.set(reason, r);
    }
    return r;
  }

  /**
   * Feeds back the outcome of the attempt last routed for `req`: updates the latency EWMA (ok and timeout
   * outcomes with a finite latency), success/failure counts, the session's affinity entry and the
   * strategy's done hook. Returns the delay in ms after which to call route(req) again, or -1 when the
   * request is finished (ok, or out of retries).
   */
  done(req: RouteRequest, outcome: Outcome): number {
    const i = outcome.model_index;
    const c = this.config;
    const inRange = i >= 0 && i < this.n;
    if (
      inRange &&
      (outcome.kind === 'ok' || outcome.kind === 'timeout') &&
      Number.isFinite(outcome.latency_ms)
    ) {
      const lat = this.snap.latency;
      const prev = lat[i];
      lat[i] = Number.isNaN(prev)
        ? outcome.latency_ms
        : prev + c.latency_ewma_alpha * (outcome.latency_ms - prev);
    }
    if (inRange) this.picker.done?.(i, outcome);
    if (outcome.kind === 'ok') {
      this.successful++;
      if (this.affinityOn && req.session_id !== undefined && inRange) {
        this.affinity.touch(req.session_id, i, this.clock.now());
      }
      return -1;
    }
    this.failed++;
    const attempts = req.attempts ?? 1;
    if (attempts > c.max_retries) return -1;
    this.retries++;
    if (req.tried === undefined) req.tried = [];
    req.tried.push(i);
    return c.retry_delay_ms * c.retry_backoff ** (attempts - 1);
  }

  /** A snapshot of the statistics (allocates; not for the hot path). */
  stats(): RouterStats {
    const counts: Record<string, number> = {};
    SOURCE_NAMES.forEach((name, k) => {
      if (this.sourceCounts[k] > 0 || name === this.config.strategy) counts[name] = this.sourceCounts[k];
    });
    return {
      total_routes: this.totalRoutes,
      successful: this.successful,
      failed: this.failed,
      fallbacks: this.fallbacks,
      retries: this.retries,
      rejected: this.rejected,
      strategy_counts: counts,
      affinity: {
        hits: this.affinity.hits,
        misses: this.affinity.misses,
        expired: this.affinity.expired,
        entries: this.affinity.size,
      },
      ab: { a: this.abCountA, b: this.abCountB },
      routing_time_us:
        this.timing.count === 0 ? null : { mean: this.timing.mean(), p99: this.timing.quantile(0.99) },
    };
  }

  /** The "Request Router Status" block of the original report. */
  formatStatus(): string {
    return formatStatus(this.config.strategy, this.stats());
  }
}
