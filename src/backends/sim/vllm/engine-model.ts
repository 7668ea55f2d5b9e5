/**
 * A simulated vLLM server (`engine: { kind: vllm }`): SimModel's admission, health and outcomes around the
 * v1 scheduler (scheduler.ts) over a paged KV cache with prefix caching (kv-blocks.ts), one engine event
 * per step, each step as long as the physics says (physics.ts) × the latency factor (× 2 while degraded).
 *
 * - An accepted attempt reaches the scheduler api_overhead_ms later (HTTP, tokenization); one whose prompt
 *   + output tokens exceed max_model_len is answered with an error then instead (vLLM's 400), no token.
 * - Steps run back to back while any sequence runs or waits. Its first token comes at the end of the step
 *   that finishes its prefill, its last at the end of the step that samples its output_tokens-th.
 * - Load (LoadView) = max(running / max_num_seqs, KV usage) + waiting / max_num_seqs: 1 when every seat or
 *   every block is taken, more when requests wait. A capacity event sets max_num_seqs.
 * - The cache figures (hit rate, prefix match, BackendStats) are those of the prefix cache; utilization is
 *   running / max_num_seqs over time.
 */
import type { EngineSpec } from '../../../core/engine-spec.js';
import type { ModelSpec } from '../../../core/types.js';
import type { Engine } from '../../../engine/engine.js';
import type { RngStreams } from '../../../engine/rng.js';
import type { BackendHost, EngineStats } from '../../backend.js';
import { HIT_RATE_EWMA_ALPHA } from '../constants.js';
import { EV_FAST_ERROR, EV_STEP, SimModel } from '../model.js';
import { KvBlocks } from './kv-blocks.js';
import { emptyBatch, StepPhysics } from './physics.js';
import { type SchedulerHost, VllmScheduler } from './scheduler.js';

const EV_ARRIVE = 4;
const EV_REJECT = 5;

export class VllmModel extends SimModel implements SchedulerHost {
  readonly engineSpec: EngineSpec;
  private readonly physics: StepPhysics;
  private readonly sched: VllmScheduler;
  private readonly kv: KvBlocks;
  private readonly batch = emptyBatch();
  private readonly apiMs: number;
  private readonly tooLong: string;
  private stepping = false;
  /** Accepted attempts on their way to the scheduler (api_overhead_ms). */
  private transit = 0;
  private observed = 0;
  steps = 0;

  constructor(spec: ModelSpec, engine: Engine, host: BackendHost, streams: RngStreams) {
    super(spec, engine, host, streams);
    if (spec.latency.model !== 'engine') throw new RangeError(`${spec.id}: VllmModel serves engine models`);
    const e = spec.latency.engine;
    this.engineSpec = e;
    this.capacity = e.max_num_seqs;
    this.kv = new KvBlocks(e.kv_blocks);
    this.physics = new StepPhysics(e.arch, e.gpu_spec, e.tp, e.coefficients);
    this.sched = new VllmScheduler(
      {
        maxNumSeqs: e.max_num_seqs,
        maxBatchedTokens: e.max_num_batched_tokens,
        blockSize: e.block_size,
        prefixCaching: e.prefix_caching,
      },
      this.pool,
      this.queue,
      this.kv,
    );
    this.apiMs = e.coefficients.api_overhead_ms;
    this.tooLong = `prompt + output tokens exceed max_model_len (${e.max_model_len})`;
  }

  slots(): number {
    return this.capacity;
  }

  protected override keepsPrefixBlocks(): boolean {
    return this.engineSpec.prefix_caching;
  }

  protected hasRoom(): boolean {
    const free = this.capacity - this.running;
    return this.queue.size + this.transit < this.maxQueue + Math.max(free, 0);
  }

  protected enqueue(idx: number): void {
    const p = this.pool;
    if (p.prompt[idx] + p.output[idx] > this.engineSpec.max_model_len) {
      this.fastPending++;
      this.engine.schedule(this.apiMs, this.target, EV_REJECT, idx);
    } else if (this.apiMs > 0) {
      this.transit++;
      this.engine.schedule(this.apiMs, this.target, EV_ARRIVE, idx);
    } else this.arrive(idx);
  }

  protected onCapacityChange(): void {
    this.sched.maxNumSeqs = this.capacity;
    if (!this.stepping) this.beginStep();
  }

  override queued(): number {
    return this.queue.size + this.transit;
  }

  override inFlight(): number {
    return this.running + this.queue.size + this.transit + this.fastPending;
  }

  override load(): number {
    const s = this.capacity;
    if (s <= 0) return this.inFlight() > 0 ? Number.POSITIVE_INFINITY : 0;
    return Math.max(this.running / s, this.kv.used / this.kv.total) + this.queued() / s;
  }

  override observedHitRate(): number {
    return this.observed;
  }

  override prefixMatch(blocks: ArrayLike<number> | undefined): number {
    if (!this.engineSpec.prefix_caching || blocks === undefined || blocks.length === 0) return 0;
    return this.kv.match(blocks, blocks.length) / blocks.length;
  }

  override cacheLookups(): number {
    return this.sched.lookups;
  }

  override cacheHits(): number {
    return this.sched.hits;
  }

  override freeKvBlocks(): number {
    return this.kv.free;
  }

  override engineStats(): EngineStats {
    return {
      steps: this.steps,
      preemptions: this.sched.preemptions,
      kv_blocks: this.kv.total,
      kv_peak_usage: this.kv.peakUsed / this.kv.total,
      prefix_evictions: this.kv.evictions,
    };
  }

  onEvent(kind: number, arg: number): void {
    if (kind === EV_STEP) this.endStep();
    else if (kind === EV_ARRIVE) {
      this.transit--;
      this.arrive(arg);
    } else if (kind === EV_REJECT) this.reject(arg);
    else if (kind === EV_FAST_ERROR) this.fastError(arg);
  }

  // SchedulerHost
  admitted(idx: number): void {
    const p = this.pool;
    p.start[idx] = this.engine.now();
    this.drawFailure(idx);
    this.stats.prompt_tokens += p.prompt[idx];
    this.stats.cached_tokens += p.cached[idx];
    this.observed += HIT_RATE_EWMA_ALPHA * ((p.cached[idx] > 0 ? 1 : 0) - this.observed);
  }

  firstToken(idx: number): void {
    this.pool.firstAt[idx] = this.engine.now();
  }

  finished(idx: number, ok: boolean): void {
    this.syncRunning();
    this.finish(idx, ok);
    this.emit();
  }

  private arrive(idx: number): void {
    this.sched.add(idx);
    if (!this.stepping) this.beginStep();
  }

  private beginStep(): void {
    const n = this.sched.schedule(this.batch, this);
    this.syncRunning();
    if (n === 0) {
      this.stepping = false;
      return;
    }
    this.stepping = true;
    this.steps++;
    this.engine.schedule(this.physics.stepMs(this.batch) * this.speed, this.target, EV_STEP, 0);
  }

  private endStep(): void {
    this.sched.complete(this);
    this.beginStep();
  }

  private syncRunning(): void {
    this.accumulate();
    this.running = this.sched.nRunning;
  }

  private reject(idx: number): void {
    this.fastPending--;
    this.finish(idx, false);
    this.outcome.detail = this.tooLong;
    this.emit();
    this.outcome.detail = undefined;
  }
}
