/**
 * What every simulated model shares: admission (quota, health, queue), counters, the outcome it reports,
 * and the timeline mutators. The latency models (request-model.ts, batch-model.ts) supply service.
 *
 * Admission, in this order, for an attempt submitted at time t:
 * 1. quota (quota.ts): no room in the current window → 'rate_limited' (charged nothing, nothing reported);
 * 2. true health 'unhealthy' → 'accepted', charged against the quota, takes no slot and is reported as an
 *    'error' UNHEALTHY_ERROR_MS (5 ms) later;
 * 3. a FIFO queue in front of the model's slots: when the slots are full and the queue holds max_queue
 *    attempts → 'queue_full' (nothing reported); otherwise 'accepted' and charged.
 * Health and the other mutators act on attempts that START service afterwards (batching models: on steps
 * that start afterwards); work already queued or running continues as it was. 'degraded' multiplies every sampled time by DEGRADED_SLOWDOWN (2) and
 * still passes probes; 'unhealthy' fails probes.
 *
 * Outcomes go to host.complete() through ONE outcome object per model, overwritten by the next
 * completion: the host must consume it synchronously (copy what it keeps). Before calling the host the
 * model has already freed the slot and started the next queued attempt, so a retry the host submits from
 * inside complete() queues behind attempts that were already waiting.
 *
 * Faults (BackendFaults) and cancel() act at once (backend.ts; request-model.ts and batch-model.ts say how
 * a stall resumes). An attempt's engine events carry its pool tag (pool.ts): one for an attempt that was
 * cancelled, crashed or stalled since is ignored.
 *
 * Nothing of the AttemptSpec is kept by reference (prefix blocks are copied into per-slot buffers), so
 * the driver may reuse its spec object and arrays as soon as submit() returns.
 */

import type { ModelSpec } from '../../core/types.js';
import type { Engine, EventTarget } from '../../engine/engine.js';
import type { Rng, RngStreams } from '../../engine/rng.js';
import type { Health } from '../../router/types.js';
import type {
  AttemptOutcome,
  AttemptSpec,
  Backend,
  BackendFaults,
  BackendHost,
  SubmitResult,
} from '../backend.js';
import { SimCache } from './cache.js';
import { DEGRADED_SLOWDOWN, UNHEALTHY_ERROR_MS } from './constants.js';
import { EV_FAST_ERROR, EV_WARM_END, newModelStats, newOutcome, type SimModelStats } from './model-stats.js';
import { AttemptPool, S_FAST, S_FREE, S_QUEUED } from './pool.js';
import { QuotaWindow, withLimits } from './quota.js';
import { IntRing } from './ring.js';

export abstract class SimModel implements Backend, BackendFaults, EventTarget {
  readonly modelId: string;
  readonly stats: SimModelStats = newModelStats();
  readonly cache: SimCache;
  readonly faults: BackendFaults = this;
  quota: QuotaWindow | null;
  protected readonly engine: Engine;
  protected readonly host: BackendHost;
  protected readonly outcome: AttemptOutcome = newOutcome();
  protected readonly target: number;
  protected readonly pool = new AttemptPool();
  protected readonly queue = new IntRing();
  protected readonly failRng: Rng;
  protected capacity: number;
  protected maxQueue: number;
  protected failureRate: number;
  protected latencyFactor = 1;
  protected healthNow: Health;
  /** latencyFactor × (degraded ? DEGRADED_SLOWDOWN : 1): multiplies every sampled time. */
  protected speed = 1;
  /** Attempts holding a slot (or a batch seat). */
  protected running = 0;
  /** Unhealthy fast errors not yet reported. */
  protected fastPending = 0;
  /** Crashed and not restarted: refuses every attempt. */
  protected down = false;
  /** Hung: accepts attempts, makes no progress. */
  protected stalled = false;
  private stallStart = 0;
  /** Service-time multiplier while warming up after a restart (1 otherwise). */
  private warmFactor = 1;
  /** Changes at every crash and restart, so that a stale warm-up end is ignored. */
  private faultGen = 0;
  private busyInt = 0;
  private slotInt = 0;
  private lastT = 0;
  /** The engine's stream for events UNHEALTHY_ERROR_MS after now (-1 until the first). */
  private fastErrorStream = -1;

  constructor(spec: ModelSpec, engine: Engine, host: BackendHost, streams: RngStreams) {
    if (!(spec.max_concurrency >= 0)) throw new RangeError(`${spec.id}: max_concurrency must be >= 0`);
    if (!(spec.max_queue >= 0)) throw new RangeError(`${spec.id}: max_queue must be >= 0`);
    this.modelId = spec.id;
    this.engine = engine;
    this.host = host;
    this.capacity = spec.max_concurrency;
    this.maxQueue = spec.max_queue;
    this.failureRate = 0;
    this.setFailureRate(spec.failure_rate);
    this.healthNow = spec.health;
    this.updateSpeed();
    this.cache = new SimCache(spec.cache, streams.get(`backend/${spec.id}/cache`));
    this.failRng = streams.get(`backend/${spec.id}/fail`);
    this.quota = spec.quota === null ? null : new QuotaWindow(spec.quota);
    this.lastT = engine.now();
    this.target = engine.register(this);
  }

  /** Events of the latency model (EV_DONE, EV_FIRST_TOKEN, EV_STEP); fast errors and warm-up are the base's. */
  protected abstract onModelEvent(kind: number, arg: number): void;
  /** Take held attempt `idx` (S_QUEUED or S_RUNNING) out now, release it and let queued work start. */
  protected abstract withdraw(idx: number): void;
  /** A crash: forget the queue and the running set (the base has zeroed `running` and fails the attempts). */
  protected abstract dropAll(): void;
  /** The model hangs: stop every pending event of running work (they are resumed by resume()). */
  protected abstract pause(): void;
  /** The hang is over after `stalledMs`: resume running work that much later, start queued work. */
  protected abstract resume(stalledMs: number): void;
  /** Slots a full model serves at once (the denominator of load and utilization). */
  abstract slots(): number;
  /** True when an attempt submitted now would find a slot or queue room. */
  protected abstract hasRoom(): boolean;
  /** Take accepted attempt `idx`: start it or queue it. */
  protected abstract enqueue(idx: number): void;
  /** React to a capacity change (start queued work). */
  protected abstract onCapacityChange(): void;

  submit(a: AttemptSpec): SubmitResult {
    if (this.down) return 'unavailable';
    const now = this.engine.now();
    const tokens = a.prompt_tokens + a.output_tokens;
    const q = this.quota;
    if (q !== null && !q.hasRoom(now, tokens)) {
      this.stats.rate_limited++;
      return 'rate_limited';
    }
    const unhealthy = this.healthNow === 'unhealthy';
    if (!unhealthy && !this.hasRoom()) {
      this.stats.queue_full++;
      return 'queue_full';
    }
    if (q !== null) q.charge(now, tokens);
    this.stats.accepted++;
    const p = this.pool;
    const idx = p.alloc();
    p.id[idx] = a.id;
    p.arrive[idx] = now;
    p.start[idx] = now;
    p.prompt[idx] = a.prompt_tokens;
    p.output[idx] = a.output_tokens;
    p.cached[idx] = 0;
    p.fail[idx] = 0;
    if (unhealthy) {
      this.fastPending++;
      p.state[idx] = S_FAST;
      // A constant delay after now, so in time order: a sorted stream, not the heap (the same order).
      if (this.fastErrorStream < 0) this.fastErrorStream = this.engine.delayStream(UNHEALTHY_ERROR_MS);
      const at = now + UNHEALTHY_ERROR_MS;
      this.engine.scheduleInStream(this.fastErrorStream, at, this.target, EV_FAST_ERROR, p.tag(idx));
      return 'accepted';
    }
    p.state[idx] = S_QUEUED;
    if (this.cache.inserts) p.setBlocks(idx, a.prefix_blocks);
    p.blockTokens[idx] = a.block_tokens ?? 0;
    this.enqueue(idx);
    return 'accepted';
  }

  onEvent(kind: number, arg: number): void {
    if (kind === EV_FAST_ERROR) {
      if (!this.pool.valid(arg)) return;
      this.fastPending--;
      this.finish(this.pool.indexOf(arg), false);
      this.outcome.detail = 'unhealthy';
      this.emit();
      this.outcome.detail = undefined;
    } else if (kind === EV_WARM_END) {
      if (arg === this.faultGen) {
        this.warmFactor = 1;
        this.updateSpeed();
      }
    } else this.onModelEvent(kind, arg);
  }

  cancel(id: number): boolean {
    const p = this.pool;
    const idx = p.find(id);
    if (idx < 0) return false;
    if (p.state[idx] === S_FAST) {
      this.fastPending--;
      p.release(idx);
    } else this.withdraw(idx);
    return true;
  }

  crash(): void {
    if (this.down) return;
    this.down = true;
    this.faultGen++;
    this.warmFactor = 1;
    this.updateSpeed();
    this.accumulate();
    this.running = 0;
    this.fastPending = 0;
    this.dropAll();
    this.cache.reset();
    const p = this.pool;
    this.outcome.detail = 'crash';
    for (let i = 0; i < p.capacity; i++) {
      if (p.state[i] === S_FREE) continue;
      if (p.state[i] === S_QUEUED) p.start[i] = this.engine.now();
      this.finish(i, false);
      this.emit();
    }
    this.outcome.detail = undefined;
  }

  restart(warmupMs: number, slowdown: number): void {
    if (!this.down) return;
    if (!(slowdown >= 1))
      throw new RangeError(`${this.modelId}: warm-up slowdown must be >= 1, got ${slowdown}`);
    this.down = false;
    this.faultGen++;
    if (warmupMs > 0 && slowdown > 1) {
      this.warmFactor = slowdown;
      this.engine.schedule(warmupMs, this.target, EV_WARM_END, this.faultGen);
    }
    this.updateSpeed();
  }

  stall(on: boolean): void {
    if (on === this.stalled) return;
    this.stalled = on;
    if (on) {
      this.stallStart = this.engine.now();
      this.pause();
    } else this.resume(this.engine.now() - this.stallStart);
  }

  isDown(): boolean {
    return this.down;
  }

  inService(): number {
    return this.running;
  }

  queued(): number {
    return this.queue.size;
  }

  /** Accepted and not yet reported: in service + queued + pending fast errors. */
  inFlight(): number {
    return this.running + this.queue.size + this.fastPending;
  }

  /** (in service + queued) / slots; Infinity when the model has no slots but holds work. */
  load(): number {
    const s = this.slots();
    const w = this.running + this.queue.size;
    if (s > 0) return w / s;
    return w > 0 ? Number.POSITIVE_INFINITY : 0;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  health(): Health {
    return this.healthNow;
  }

  /** What an active health check sees now: fails while truly unhealthy, crashed or hung. */
  probe(): boolean {
    return this.healthNow !== 'unhealthy' && !this.down && !this.stalled;
  }

  setHealth(h: Health): void {
    this.healthNow = h;
    this.updateSpeed();
  }

  /** Multiply every sampled time of attempts starting from now by `f` (> 0). */
  setLatencyFactor(f: number): void {
    if (!(f > 0)) throw new RangeError(`${this.modelId}: latency factor must be > 0, got ${f}`);
    this.latencyFactor = f;
    this.updateSpeed();
  }

  setFailureRate(p: number): void {
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`${this.modelId}: failure_rate must be in [0, 1], got ${p}`);
    this.failureRate = p;
  }

  /** Scale out or in: running work continues; queued work starts as slots allow. */
  setCapacity(maxConcurrency: number): void {
    if (!(maxConcurrency >= 0)) throw new RangeError(`${this.modelId}: max_concurrency must be >= 0`);
    this.accumulate();
    this.capacity = maxConcurrency;
    this.onCapacityChange();
  }

  maxConcurrency(): number {
    return this.capacity;
  }

  /** Set (or create) the quota's limits; the current window's spending stays. */
  setQuota(tokensPerMinute: number, requestsPerMinute: number): void {
    this.quota = withLimits(this.quota, tokensPerMinute, requestsPerMinute);
  }

  checkQuota(tokens: number): boolean {
    return this.quota === null || this.quota.hasRoom(this.engine.now(), tokens);
  }

  /** Share of the current quota window spent, 0..1 (0 without a quota). */
  quotaUsage(): number {
    return this.quota === null ? 0 : this.quota.usage(this.engine.now());
  }

  /** ∫ (attempts in service) dt up to now, in slot·ms. */
  busySlotTime(): number {
    this.accumulate();
    return this.busyInt;
  }

  /** ∫ slots() dt up to now, in slot·ms: utilization = busySlotTime / slotTime. */
  slotTime(): number {
    this.accumulate();
    return this.slotInt;
  }

  protected updateSpeed(): void {
    const degraded = this.healthNow === 'degraded' ? DEGRADED_SLOWDOWN : 1;
    this.speed = this.latencyFactor * degraded * this.warmFactor;
  }

  protected accumulate(): void {
    const now = this.engine.now();
    const dt = now - this.lastT;
    if (dt > 0) {
      this.busyInt += dt * this.running;
      this.slotInt += dt * this.slots();
      this.lastT = now;
    }
  }

  /** Mark one more attempt in service (call at its start). */
  protected occupy(): void {
    this.accumulate();
    this.running++;
  }

  /** Mark one attempt out of service. */
  protected vacate(): void {
    this.accumulate();
    this.running--;
  }

  /** Cache lookup for attempt `idx` starting service now; returns its uncached prompt tokens. */
  protected lookupCache(idx: number): number {
    const p = this.pool;
    const prompt = p.prompt[idx];
    const cached = this.cache.lookup(prompt, p.blocks[idx], p.nBlocks[idx], p.blockTokens[idx]);
    p.cached[idx] = cached;
    this.stats.prompt_tokens += prompt;
    this.stats.cached_tokens += cached;
    return prompt - cached;
  }

  /** Draw whether attempt `idx` fails (stream backend/<id>/fail, drawn only while failure_rate > 0). */
  protected drawFailure(idx: number): void {
    const fr = this.failureRate;
    this.pool.fail[idx] = fr > 0 && this.failRng.next() < fr ? 1 : 0;
  }

  /**
   * Fill the shared outcome for attempt `idx` ending now and release its pool entry. ok: first token at
   * firstAt; error: no token (ttft NaN, output 0). The caller frees the slot, then calls emit().
   */
  protected finish(idx: number, ok: boolean, settled = false): void {
    const p = this.pool;
    const o = this.outcome;
    const now = this.engine.now();
    const arrive = p.arrive[idx];
    o.id = p.id[idx];
    o.queue_ms = p.start[idx] - arrive;
    o.e2e_ms = now - arrive;
    o.cached_tokens = p.cached[idx];
    if (ok) {
      o.kind = 'ok';
      o.ttft_ms = p.firstAt[idx] - arrive;
      o.output_tokens = p.output[idx];
      this.stats.completed++;
      this.stats.output_tokens += o.output_tokens;
    } else {
      o.kind = 'error';
      o.ttft_ms = Number.NaN;
      o.output_tokens = 0;
      this.stats.failed++;
    }
    p.release(idx, settled);
  }

  protected emit(): void {
    this.host.complete(this.outcome);
  }
}
