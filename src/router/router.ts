/**
 * Router: the product's request router. route(req) picks a model through the pipeline of src/README.md
 * (candidates -> filters -> preferred -> session affinity -> A/B -> strategy -> fallback -> rejection) and
 * returns a RoutingDecision that the router owns and overwrites on the next call; done(req, outcome) feeds
 * the attempt's outcome back and says whether (and after what delay) to route the request again.
 *
 * Fallback relaxes filters in this order: (1) the load threshold, (2) degraded health, (3) quota. It never
 * admits an unhealthy model, one whose context is too short, or one that lacks a required capability.
 * Retries and the latency EWMA: see retry.ts; the retry budget, retry-budget.ts.
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
import { AffinityTable } from './affinity.js';
import type { RoutingConfig } from './config.js';
import { blankDecision, Reasons, reject } from './decision.js';
import { Eligibility } from './eligibility.js';
import { observeLatency, retryDelay } from './retry.js';
import { RetryBudget } from './retry-budget.js';
import { RouterCounters, type RouterStats } from './stats.js';
import { formatStatus } from './status.js';
import {
  createPickContext,
  loadScore,
  type PickContext,
  type Picker,
  type StrategyBuilder,
  type StrategyRegistry,
} from './strategy.js';
import { RouteTiming } from './timing.js';
import type { ModelInfo, Outcome, RouteRequest, RoutingDecision } from './types.js';
import { resolveRouting } from './validate.js';
import type { CacheView, LoadView, QuotaView, Registry } from './views.js';

export interface RouterDeps {
  registry: Registry;
  /** The strategies `config.strategy` may name (strategies/ exports the built-in STRATEGIES). */
  strategies: StrategyRegistry;
  cache?: CacheView;
  quota?: QuotaView;
  load?: LoadView;
  clock: Clock;
  rng: Rng;
  /** High-resolution wall time in ms, for routing-time statistics only; absent = not measured. */
  stopwatch?: () => number;
}

const R_PREFERRED = 'preferred model requested and eligible';
const R_AFFINITY = 'session affinity: pinned model still eligible';
const R_AB_A = 'A/B test: model_a arm';
const R_AB_B = 'A/B test: model_b arm';

export class Router {
  private config: RoutingConfig;
  private readonly strategies: StrategyRegistry;
  private readonly registry: Registry;
  private readonly cacheView: CacheView | undefined;
  private readonly quotaView: QuotaView | undefined;
  private readonly loadView: LoadView | undefined;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly stopwatch: (() => number) | undefined;

  private builder: StrategyBuilder;
  private options: unknown;
  private picker!: Picker;
  private strategyIndex = 0;
  private regVersion = Number.NaN;
  private models: readonly ModelInfo[] = [];
  private ids: string[] = [];
  private n = 0;
  private ctx: PickContext;
  private eligibility!: Eligibility;
  private abA = -1;
  private abB = -1;
  private affinityOn = false;
  /** What chosenBefore() chose by: a source index and a reason. */
  private chosenSrc = 0;
  private chosenReason = '';
  /** router.retry_budget (null: none), rebuilt when the budget or its window changes. */
  private budget: RetryBudget | null = null;
  private budgetRatio: number | null = null;
  private budgetWindow = Number.NaN;

  private readonly decision = blankDecision();
  private readonly reasons = new Reasons();
  private readonly affinity = new AffinityTable();
  private readonly timing = new RouteTiming();
  private readonly counts: RouterCounters;

  /** Validates `config` against the registry's models (throws RoutingConfigError) and builds the strategy. */
  constructor(config: Partial<RoutingConfig>, deps: RouterDeps) {
    this.strategies = deps.strategies;
    this.registry = deps.registry;
    this.cacheView = deps.cache;
    this.quotaView = deps.quota;
    this.loadView = deps.load;
    this.clock = deps.clock;
    this.rng = deps.rng;
    this.stopwatch = deps.stopwatch;
    this.counts = new RouterCounters(Object.keys(this.strategies));
    const ids = this.registry.listModels().map((m) => m.id);
    const resolved = resolveRouting(config, this.strategies, ids);
    this.config = resolved.config;
    this.builder = resolved.builder;
    this.options = resolved.options;
    this.ctx = createPickContext(0, this.rng, { estimated_tokens: 0 });
    this.rebuild();
  }

  /** The effective configuration (every default filled in). */
  getConfig(): Readonly<RoutingConfig> {
    return this.config;
  }

  /**
   * Switches configuration from now on: `changes` are merged over the current config and validated
   * (throws RoutingConfigError and keeps the old config). A changed strategy, strategy_options or setting
   * the strategy is built from builds a fresh picker; statistics, latency estimates and affinity entries
   * are kept.
   */
  setConfig(changes: Partial<RoutingConfig>): void {
    const next = resolveRouting({ ...this.config, ...changes }, this.strategies, this.ids);
    const prev = this.config;
    const rebuildPicker =
      next.config.strategy !== prev.strategy ||
      JSON.stringify(next.config.strategy_options) !== JSON.stringify(prev.strategy_options) ||
      next.builder.settings.some((k) => next.config[k] !== prev[k]);
    this.config = next.config;
    this.builder = next.builder;
    this.options = next.options;
    this.applyConfig(rebuildPicker);
  }

  private applyConfig(rebuildPicker: boolean): void {
    const c = this.config;
    if (rebuildPicker) {
      const cache = this.cacheView ?? null;
      this.picker = this.builder.build(this.options, { models: this.models, config: c, cache });
    }
    this.strategyIndex = this.counts.sourceNames.indexOf(c.strategy);
    this.affinityOn = c.session_affinity || this.builder.pinsSessions;
    this.abA = c.ab_test ? this.registry.indexOf(c.ab_test.model_a) : -1;
    this.abB = c.ab_test ? this.registry.indexOf(c.ab_test.model_b) : -1;
    if (c.retry_budget !== this.budgetRatio || c.retry_budget_window_ms !== this.budgetWindow) {
      this.budgetRatio = c.retry_budget;
      this.budgetWindow = c.retry_budget_window_ms;
      this.budget =
        c.retry_budget === null ? null : new RetryBudget(c.retry_budget, c.retry_budget_window_ms);
    }
  }

  /** (Re)sizes the per-model tables for the registry's current model list. */
  private rebuild(): void {
    const oldIds = this.ids;
    const oldLatency = this.ctx.latency;
    this.regVersion = this.registry.version();
    this.models = this.registry.listModels();
    const n = this.models.length;
    this.n = n;
    this.ids = this.models.map((m) => m.id);
    const s = createPickContext(n, this.rng, this.ctx.request);
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
    this.ctx = s;
    const views = { load: this.loadView, quota: this.quotaView, cache: this.cacheView };
    this.eligibility = new Eligibility(this.registry, this.models, s, views);
    if (oldIds.length > 0) {
      const ids = this.ids;
      this.affinity.remap((old) => ids.indexOf(oldIds[old]));
    }
    this.applyConfig(true);
  }

  /** Routes one attempt of `req`. The returned object is reused by the next call: copy what you keep. */
  route(req: RouteRequest): RoutingDecision {
    const sw = this.stopwatch;
    if (sw === undefined || !this.timing.due()) return this.routeInner(req);
    const t0 = sw();
    const d = this.routeInner(req);
    this.timing.samples.record((sw() - t0) * 1000);
    return d;
  }

  private routeInner(req: RouteRequest): RoutingDecision {
    if (this.registry.version() !== this.regVersion) this.rebuild();
    const c = this.config;
    const d = this.decision;
    const s = this.ctx;
    const n = this.n;
    const now = this.clock.now();
    this.counts.totalRoutes++;
    const attempts = (req.attempts ?? 0) + 1;
    req.attempts = attempts;
    const tried = req.tried;
    if (attempts === 1 && tried !== undefined) tried.length = 0;
    if (attempts === 1 && this.budget !== null) this.budget.request(now);

    // (1), (2) and (7): candidates, filters and, when needed, the fallback levels.
    const el = this.eligibility;
    const count = el.select(req, attempts, c, this.picker.uses);
    const level = el.level;
    const registry = this.registry;
    d.attempted_models = attempts;
    if (count === 0) {
      this.counts.rejected++;
      return reject(d, this.reasons.reject(el.seen, n));
    }

    // (3) preferred, (4) affinity, (5) A/B, (6) strategy.
    s.request = req;
    s.now = now;
    let idx = -1;
    let src = this.strategyIndex;
    let reason = '';
    const session = this.affinityOn ? req.session_id : undefined;
    if (req.preferred_model !== undefined || session !== undefined || this.abA >= 0) {
      idx = this.chosenBefore(req, session, now);
      if (idx >= 0) {
        src = this.chosenSrc;
        reason = this.chosenReason;
      }
    }
    let total = Number.NaN;
    if (idx < 0) {
      s.score = 0;
      s.reason = '';
      idx = this.picker.pick(s);
      if (idx < 0 || idx >= n || !el.passes(idx)) idx = s.eligible[0]; // a picker bug must not route badly
      total = s.score;
      reason = s.reason;
    }
    if (session !== undefined && src !== this.counts.affinitySource) this.affinity.pin(session, idx, now);

    // Scores and the decision.
    const ls = this.loadView === undefined ? 1 : loadScore(s.load[idx]);
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
    d.source = this.counts.sourceNames[src];
    d.reason = level > 0 ? this.reasons.fallback(level, reason) : reason;
    if (level > 0) this.counts.fallbacks++;
    this.counts.bySource[src]++;
    registry.markUsed(idx, now);
    return d;
  }

  /**
   * Steps (3) preferred, (4) affinity and (5) A/B of routeInner, for a request that may need them: the
   * model they choose (source and reason in chosenSrc and chosenReason), or -1 to let the strategy pick.
   * A method of its own so that routeInner, run on every decision, stays small.
   */
  private chosenBefore(req: RouteRequest, session: string | undefined, now: number): number {
    const c = this.config;
    const el = this.eligibility;
    const pref = req.preferred_model;
    if (pref !== undefined) {
      const p = this.registry.indexOf(pref);
      if (p >= 0 && el.passes(p)) {
        this.chosenSrc = this.counts.preferredSource;
        this.chosenReason = R_PREFERRED;
        return p;
      }
    }
    if (session !== undefined) {
      const p = this.affinity.lookup(session, now, c.affinity_timeout_ms);
      if (p >= 0 && p < this.n && el.passes(p)) {
        this.affinity.hits++;
        this.chosenSrc = this.counts.affinitySource;
        this.chosenReason = R_AFFINITY;
        return p;
      }
      this.affinity.misses++;
    }
    if (c.ab_test !== null && this.abA >= 0) {
      const toA = this.rng.next() < c.ab_test.split;
      const p = toA ? this.abA : this.abB;
      if (p >= 0 && el.passes(p)) {
        if (toA) this.counts.abA++;
        else this.counts.abB++;
        this.chosenSrc = this.counts.abSource;
        this.chosenReason = toA ? R_AB_A : R_AB_B;
        return p;
      }
    }
    return -1;
  }

  /**
   * Feeds back the outcome of the attempt last routed for `req`: updates the latency EWMA (ok and timeout
   * outcomes with a finite latency), success/failure counts, the session's affinity entry and the
   * strategy's done hook. Returns the delay in ms after which to call route(req) again, or -1 when the
   * request is finished (ok, or out of retries).
   */
  done(req: RouteRequest, outcome: Outcome): number {
    const i = outcome.model_index;
    const inRange = i >= 0 && i < this.n;
    if (inRange) {
      observeLatency(this.ctx.latency, i, outcome, this.config.latency_ewma_alpha);
      this.picker.done?.(i, outcome);
    }
    if (outcome.kind === 'ok') {
      this.counts.successful++;
      if (this.affinityOn && req.session_id !== undefined && inRange) {
        this.affinity.touch(req.session_id, i, this.clock.now());
      }
      return -1;
    }
    this.counts.failed++;
    if (outcome.client_error === true) return -1;
    const delay = retryDelay(this.config, req, i);
    if (delay < 0) return -1;
    if (this.budget !== null && !this.budget.tryRetry(this.clock.now())) {
      this.counts.retriesDenied++;
      return -1;
    }
    this.counts.retries++;
    return delay;
  }

  /** Session-affinity entries held now: stats().affinity.entries without building the snapshot. */
  affinityEntries(): number {
    return this.affinity.size;
  }

  /** A snapshot of the statistics (allocates; not for the hot path). */
  stats(): RouterStats {
    return this.counts.toStats(this.config.strategy, this.affinity, this.timing);
  }

  /** The "Request Router Status" block of the original report. */
  formatStatus(): string {
    return formatStatus(this.config.strategy, this.stats());
  }
}
