/**
 * All simulated models of a run, indexed in the order of the `models` array given (the same order as the
 * router's registry). It is the router's LoadView, CacheView and QuotaView over those models, gives each
 * model's Backend to the run, takes the scenario timeline's changes (true health, latency factor, failure
 * rate, capacity, quota) and gives each model's BackendStats to the report. Every spec is simulated
 * whatever its `backend` field says: a live run subclasses it to serve some indices for real
 * (run/live-cluster.ts). The models themselves come from create.ts.
 *
 * Randomness: model `id` draws latencies from stream `backend/<id>`, failures from `backend/<id>/fail`
 * and fixed-rate cache hits from `backend/<id>/cache`, so a change of router or traffic shifts no other
 * model's draws. Semantics of each piece: model.ts (admission, health, outcomes), request-model.ts
 * (ttft_tpot, service), batch-model.ts (batching, profile), cache.ts, quota.ts.
 */

import type { ModelSpec } from '../../core/types.js';
import type { Engine } from '../../engine/engine.js';
import type { RngStreams } from '../../engine/rng.js';
import type { Health, RouteRequest } from '../../router/types.js';
import type { CacheView, LoadView, QuotaView } from '../../router/views.js';
import type { Backend, BackendHost, BackendStats } from '../backend.js';
import { createSimModel } from './create.js';
import type { DeviceMap } from './device.js';
import type { SimModel } from './model.js';
import type { SimModelStats } from './model-stats.js';
import { VllmModel } from './vllm/engine-model.js';

export class SimCluster implements LoadView, CacheView, QuotaView {
  private readonly models: SimModel[];
  /** The serving engines among them (null for the other models): their caches are their KV blocks. */
  private readonly engines: (VllmModel | null)[];
  private readonly byId = new Map<string, number>();
  /** Models with a quota (a quota, once set, stays: setQuota only changes its limits). */
  private quotaModels = 0;

  constructor(models: readonly ModelSpec[], engine: Engine, host: BackendHost, streams: RngStreams) {
    const devices: DeviceMap = new Map();
    this.models = models.map((s) => createSimModel(s, engine, host, streams, devices));
    this.engines = this.models.map((m) => (m instanceof VllmModel ? m : null));
    this.quotaModels = this.models.filter((m) => m.quota !== null).length;
    models.forEach((s, i) => {
      if (this.byId.has(s.id)) throw new RangeError(`SimCluster: duplicate model id ${s.id}`);
      this.byId.set(s.id, i);
    });
  }

  get size(): number {
    return this.models.length;
  }

  /** Index of model `id`, or -1. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  backend(i: number): Backend {
    return this.models[i];
  }

  /** The simulated model itself (stats, cache, step counts). */
  model(i: number): SimModel {
    return this.models[i];
  }

  // LoadView
  /** (in service + queued) / slots, where slots = max_concurrency (batching: min(max_concurrency, max_batch)). */
  load(i: number): number {
    return this.models[i].load();
  }
  /** Accepted and not yet reported (in service + queued + pending unhealthy errors). */
  inFlight(i: number): number {
    return this.models[i].inFlight();
  }
  queueDepth(i: number): number {
    return this.models[i].queued();
  }
  inService(i: number): number {
    return this.models[i].inService();
  }
  queued(i: number): number {
    return this.models[i].queued();
  }

  // CacheView
  /** Observed hit rate: EWMA over lookups of (any token cached), weight HIT_RATE_EWMA_ALPHA (cache.ts). */
  getCacheHitRate(i: number): number {
    const e = this.engines[i];
    return e ? e.observedHitRate() : this.models[i].cache.observedHitRate();
  }
  /** Share of req.prefix_blocks whose leading run is cached on model i now (0 without a prefix cache). */
  prefixMatch(i: number, req: RouteRequest): number {
    const e = this.engines[i];
    return e ? e.prefixMatch(req.prefix_blocks) : this.models[i].cache.prefixMatch(req.prefix_blocks);
  }
  /** Free paged-KV blocks of model i now (serving engines; NaN for the other models). */
  freeKvBlocks(i: number): number {
    const e = this.engines[i];
    return e ? e.freeKvBlocks() : Number.NaN;
  }

  // QuotaView
  checkQuota(i: number, tokens: number): boolean {
    return this.models[i].checkQuota(tokens);
  }
  usage(i: number): number {
    return this.models[i].quotaUsage();
  }
  noQuotas(): boolean {
    return this.quotaModels === 0;
  }

  // Timeline
  health(i: number): Health {
    return this.models[i].health();
  }
  setHealth(i: number, h: Health): void {
    this.models[i].setHealth(h);
  }
  setLatencyFactor(i: number, f: number): void {
    this.models[i].setLatencyFactor(f);
  }
  setFailureRate(i: number, p: number): void {
    this.models[i].setFailureRate(p);
  }
  setCapacity(i: number, maxConcurrency: number): void {
    this.models[i].setCapacity(maxConcurrency);
  }
  setQuota(i: number, tokensPerMinute: number, requestsPerMinute: number): void {
    if (this.models[i].quota === null) this.quotaModels++;
    this.models[i].setQuota(tokensPerMinute, requestsPerMinute);
  }
  /** What an active health check of model i sees now: false only while it is truly unhealthy. */
  probe(i: number): boolean {
    return this.models[i].probe();
  }

  // Report
  /** Model i's serving figures so far (a fresh snapshot: the report reads it after the run). */
  backendStats(i: number): BackendStats {
    const m = this.models[i];
    const e = this.engines[i];
    return {
      cache_lookups: e ? e.cacheLookups() : m.cache.lookups,
      cache_hits: e ? e.cacheHits() : m.cache.hits,
      prompt_tokens: m.stats.prompt_tokens,
      cached_tokens: m.stats.cached_tokens,
      utilization: this.utilization(i),
      ...(e ? { engine: e.engineStats() } : {}),
    };
  }
  stats(i: number): Readonly<SimModelStats> {
    return this.models[i].stats;
  }
  /** Busy slot-time so far (slot·ms). */
  busySlotTime(i: number): number {
    return this.models[i].busySlotTime();
  }
  /** Slot-time available so far (slot·ms; capacity changes included). */
  slotTime(i: number): number {
    return this.models[i].slotTime();
  }
  /** busySlotTime / slotTime so far (0 before any time has passed). */
  utilization(i: number): number {
    const s = this.models[i].slotTime();
    return s > 0 ? this.models[i].busySlotTime() / s : 0;
  }
  /** Tokens and requests charged against model i's quota over the whole run (0 without a quota). */
  quotaCharged(i: number): { tokens: number; requests: number } {
    const q = this.models[i].quota;
    return q === null ? { tokens: 0, requests: 0 } : { tokens: q.totalTokens, requests: q.totalRequests };
  }
  /** Share of model i's current quota window spent, 0..1 (same as usage). */
  quotaUsage(i: number): number {
    return this.models[i].quotaUsage();
  }
}
