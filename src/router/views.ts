/**
 * The router reads the world only through these views. A service (or the simulator) implements them; any
 * view but the registry may be absent, and the router then degrades gracefully and says so in the reason.
 *
 * Hot-path methods address models by their index in `registry.listModels()` (stable until
 * `registry.version()` changes), so a decision does no string lookups.
 */
import type { Health, ModelInfo, RouteRequest } from './types.js';

export interface Registry {
  /** All known models, in a stable order; the index is the model's handle for the other views. */
  listModels(): readonly ModelInfo[];
  get(id: string): ModelInfo | undefined;
  indexOf(id: string): number;
  getHealthyModels(): readonly ModelInfo[];
  /** Health as the router currently believes it (the simulator feeds this from health checks). */
  healthOf(index: number): Health;
  updateHealthStatus(id: string, health: Health): void;
  markUsed(index: number, now_ms: number): void;
  /** Bumped whenever models are added or removed, so the router can rebuild its tables. */
  version(): number;
}

export interface CacheView {
  /** Observed cache hit rate of a model, 0..1. */
  getCacheHitRate(index: number): number;
  /** Fraction of this request's prefix already cached on the model, 0..1 (optional: prefix-aware). */
  prefixMatch?(index: number, request: RouteRequest): number;
  /** Free KV-cache blocks of a model now; NaN when the model reports none (optional: kv_aware). */
  freeKvBlocks?(index: number): number;
}

export interface QuotaView {
  /** True when the model's quota has room for `tokens` more tokens (and one more request). */
  checkQuota(index: number, tokens: number): boolean;
  /** Share of the current quota window used, 0..1. */
  usage(index: number): number;
  /**
   * Optional: true while no model has a quota, so that checkQuota is true for every model and request
   * (the router then skips the per-model check). Absent: the router checks every model.
   */
  noQuotas?(): boolean;
}

export interface LoadView {
  /** (in service + queued) / max_concurrency: 1 means every slot busy, above 1 means queueing. */
  load(index: number): number;
  inFlight(index: number): number;
  queueDepth(index: number): number;
}
