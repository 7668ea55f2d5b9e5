/**
 * In-memory implementations of the router's views, for tests, benchmarks and the simulator to build on.
 * Models are addressed by their index in the registry's list, as the views contract says. None of them
 * reads a clock or random numbers; their owner sets their state.
 */
import type { Health, ModelInfo, RouteRequest } from './types.js';
import type { CacheView, LoadView, QuotaView, Registry } from './views.js';

/** Defaults for fields a test does not care about (max_concurrency 16, unlimited context, weight 1). */
export function modelInfo(id: string, extra: Partial<Omit<ModelInfo, 'id'>> = {}): ModelInfo {
  return {
    id,
    max_concurrency: extra.max_concurrency ?? 16,
    context_length: extra.context_length ?? Number.POSITIVE_INFINITY,
    capabilities: extra.capabilities ?? [],
    weight: extra.weight ?? 1,
    cost_per_1k_tokens: extra.cost_per_1k_tokens ?? 0,
  };
}

/**
 * A registry held in memory. `add`/`remove` bump version() (indices may change); health changes do not.
 * Accepts ModelInfo objects or bare ids (filled by modelInfo()).
 */
export class MemoryRegistry implements Registry {
  private models: ModelInfo[] = [];
  private health: Health[] = [];
  private lastUsed: number[] = [];
  private byId = new Map<string, number>();
  private healthy: ModelInfo[] = [];
  private ver = 0;

  constructor(models: readonly (ModelInfo | string)[] = [], health: readonly Health[] = []) {
    for (let i = 0; i < models.length; i++) {
      const m = models[i];
      this.add(typeof m === 'string' ? modelInfo(m) : m, health[i] ?? 'healthy');
    }
  }

  /** Adds a model at the end; throws on a duplicate id. */
  add(model: ModelInfo, health: Health = 'healthy'): number {
    if (this.byId.has(model.id)) throw new Error(`MemoryRegistry: duplicate model id ${model.id}`);
    this.models.push(model);
    this.health.push(health);
    this.lastUsed.push(Number.NaN);
    this.reindex();
    return this.models.length - 1;
  }

  /** Removes a model (later indices shift down); false when unknown. */
  remove(id: string): boolean {
    const i = this.byId.get(id);
    if (i === undefined) return false;
    this.models.splice(i, 1);
    this.health.splice(i, 1);
    this.lastUsed.splice(i, 1);
    this.reindex();
    return true;
  }

  private reindex(): void {
    this.byId = new Map(this.models.map((m, i) => [m.id, i]));
    this.ver++;
    this.refreshHealthy();
  }

  private refreshHealthy(): void {
    this.healthy = this.models.filter((_, i) => this.health[i] === 'healthy');
  }

  listModels(): readonly ModelInfo[] {
    return this.models;
  }
  get(id: string): ModelInfo | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.models[i];
  }
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }
  getHealthyModels(): readonly ModelInfo[] {
    return this.healthy;
  }
  healthOf(index: number): Health {
    return this.health[index];
  }
  /** Throws on an unknown id (a typo in an event timeline should be loud). */
  updateHealthStatus(id: string, health: Health): void {
    const i = this.byId.get(id);
    if (i === undefined) throw new Error(`MemoryRegistry: unknown model ${id}`);
    this.health[i] = health;
    this.refreshHealthy();
  }
  markUsed(index: number, now_ms: number): void {
    this.lastUsed[index] = now_ms;
  }
  /** When the router last sent this model a request (NaN: never). */
  lastUsedAt(index: number): number {
    return this.lastUsed[index];
  }
  version(): number {
    return this.ver;
  }
}

/**
 * Load per model from in-flight and queued counts: load = (inFlight + queued) / max_concurrency.
 * `acquire`/`release` move one request in or out of service (queueing beyond max_concurrency).
 */
export class MemoryLoadView implements LoadView {
  private readonly maxConc: Float64Array;
  private readonly running: Float64Array;
  private readonly waiting: Float64Array;
  private readonly loads: Float64Array;

  /** `maxConcurrency[i]` is model i's slot count (> 0); pass registry.listModels().map(m => m.max_concurrency). */
  constructor(maxConcurrency: readonly number[]) {
    const n = maxConcurrency.length;
    this.maxConc = Float64Array.from(maxConcurrency, (c) => {
      if (!(c > 0)) throw new RangeError(`MemoryLoadView: max_concurrency must be > 0, got ${c}`);
      return c;
    });
    this.running = new Float64Array(n);
    this.waiting = new Float64Array(n);
    this.loads = new Float64Array(n);
  }

  static forRegistry(registry: Registry): MemoryLoadView {
    return new MemoryLoadView(registry.listModels().map((m) => m.max_concurrency));
  }

  set(index: number, inFlight: number, queued = 0): void {
    this.running[index] = inFlight;
    this.waiting[index] = queued;
    this.loads[index] = (inFlight + queued) / this.maxConc[index];
  }
  /** One more request: into a free slot, else into the queue. */
  acquire(index: number): void {
    if (this.running[index] < this.maxConc[index])
      this.set(index, this.running[index] + 1, this.waiting[index]);
    else this.set(index, this.running[index], this.waiting[index] + 1);
  }
  /** One request finished: a queued one (if any) takes its slot. */
  release(index: number): void {
    if (this.waiting[index] > 0) this.set(index, this.running[index], this.waiting[index] - 1);
    else if (this.running[index] > 0) this.set(index, this.running[index] - 1, 0);
  }
  load(index: number): number {
    return this.loads[index];
  }
  inFlight(index: number): number {
    return this.running[index];
  }
  queueDepth(index: number): number {
    return this.waiting[index];
  }
}

/**
 * Token quota per model for the current window: checkQuota(i, t) is used + t <= limit; usage = used/limit.
 * `consume` spends tokens, `setUsage` sets the used share directly, `resetWindow` starts a new window.
 * A limit of Infinity means unlimited (usage 0).
 */
export class MemoryQuotaView implements QuotaView {
  private readonly limits: Float64Array;
  private readonly used: Float64Array;

  constructor(limits: readonly number[], usedShare: readonly number[] = []) {
    this.limits = Float64Array.from(limits, (l) => {
      if (!(l > 0)) throw new RangeError(`MemoryQuotaView: limit must be > 0, got ${l}`);
      return l;
    });
    this.used = new Float64Array(limits.length);
    for (let i = 0; i < usedShare.length; i++) this.setUsage(i, usedShare[i]);
  }

  checkQuota(index: number, tokens: number): boolean {
    return this.used[index] + tokens <= this.limits[index];
  }
  usage(index: number): number {
    const l = this.limits[index];
    if (l === Number.POSITIVE_INFINITY) return 0;
    return Math.min(1, this.used[index] / l);
  }
  consume(index: number, tokens: number): void {
    this.used[index] += tokens;
  }
  /** Sets the used share (0..1) of a finite limit. */
  setUsage(index: number, share: number): void {
    const l = this.limits[index];
    this.used[index] = l === Number.POSITIVE_INFINITY ? 0 : share * l;
  }
  usedTokens(index: number): number {
    return this.used[index];
  }
  resetWindow(): void {
    this.used.fill(0);
  }
}

/**
 * Fixed cache hit rates per model, plus an optional prefix cache: `addBlocks(i, blocks)` records prefix
 * block ids as cached on model i, and prefixMatch(i, req) is the share of req.prefix_blocks' leading
 * blocks found there (a prefix stops matching at its first missing block).
 */
export class MemoryCacheView implements CacheView {
  private readonly rates: Float64Array;
  private readonly blocks: Set<number>[];

  constructor(hitRates: readonly number[]) {
    this.rates = Float64Array.from(hitRates);
    this.blocks = hitRates.map(() => new Set<number>());
  }

  getCacheHitRate(index: number): number {
    return this.rates[index];
  }
  setHitRate(index: number, rate: number): void {
    this.rates[index] = rate;
  }
  addBlocks(index: number, blocks: ArrayLike<number>): void {
    const set = this.blocks[index];
    for (let k = 0; k < blocks.length; k++) set.add(blocks[k]);
  }
  prefixMatch(index: number, request: RouteRequest): number {
    const b = request.prefix_blocks;
    if (b === undefined || b.length === 0) return 0;
    const set = this.blocks[index];
    let k = 0;
    while (k < b.length && set.has(b[k])) k++;
    return k / b.length;
  }
}
