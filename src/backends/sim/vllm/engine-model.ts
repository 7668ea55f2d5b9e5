/**
 * A simulated vLLM server (`engine: { kind: vllm }`): SimModel's admission, health and outcomes around the
 * v1 scheduler (scheduler.ts) over a paged KV cache with prefix caching (kv-blocks.ts), one engine event
 * per step, each step as long as the physics says (physics.ts) × the latency factor (× 2 while degraded).
 *
 * - An accepted attempt reaches the scheduler api_overhead_ms later (HTTP, tokenization); one whose prompt
 *   + output tokens exceed max_model_len is answered with an error then instead (vLLM's 400), no token.
 * - Steps run back to back while any sequence runs or waits. Its first token comes at the end of the step
 *   that finishes its prefill (tp > 1: tp_first_token_ms later, at most at its last), its last at the end
 *   of the step that samples its output_tokens-th.
 * - Load (LoadView) = max(running / max_num_seqs, KV usage) + waiting / max_num_seqs: 1 when every seat or
 *   every block is taken, more when requests wait. A capacity event sets max_num_seqs.
 * - The cache figures (hit rate, prefix match, BackendStats) are those of the prefix cache; utilization is
 *   running / max_num_seqs over time.
 * - Faults: cancel() takes a request out wherever it is (on its way, waiting, running: its KV blocks are
 *   freed at once); a crash fails everything held and empties the KV cache; a stall holds the step in
 *   flight (it ends later by the stall's length) and starts none; requests keep arriving meanwhile.
 */
import type { EngineSpec } from '../../../core/engine-spec.js';
import type { ModelSpec } from '../../../core/types.js';
import type { Engine } from '../../../engine/engine.js';
import { grown } from '../../../engine/grow.js';
import type { RngStreams } from '../../../engine/rng.js';
import type { AttemptSpec, BackendHost, EngineStats, SubmitResult } from '../../backend.js';
import { HIT_RATE_EWMA_ALPHA } from '../constants.js';
import { EV_STEP } from '../model-stats.js';
import { S_FAST, S_RUNNING } from '../pool.js';
import { SteppedModel } from '../stepped-model.js';
import { KvBlocks } from './kv-blocks.js';
import { emptyBatch, StepPhysics } from './physics.js';
import { type SchedulerHost, VllmScheduler } from './scheduler.js';

const EV_ARRIVE = 10;
const EV_REJECT = 11;

export class VllmModel extends SteppedModel implements SchedulerHost {
  readonly engineSpec: EngineSpec;
  private readonly physics: StepPhysics;
  private readonly sched: VllmScheduler;
  private readonly kv: KvBlocks;
  private readonly batch = emptyBatch();
  private readonly apiMs: number;
  /** Delay of a first token on the multiprocess executor (tp > 1), ms. */
  private readonly firstTokenMs: number;
  private readonly tooLong: string;
  /** The attempt submit() is taking (its prefix blocks are copied at enqueue). */
  private submitting: AttemptSpec | null = null;
  /** Accepted attempts on their way to the scheduler (api_overhead_ms), flagged by pool index. */
  private transit = 0;
  private inTransit = new Uint8Array(64);
  private observed = 0;
  /** The engine's stream for events api_overhead_ms after now (-1 until the first). */
  private apiStream = -1;
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
    this.firstTokenMs = e.tp > 1 ? e.coefficients.tp_first_token_ms : 0;
    this.tooLong = `prompt + output tokens exceed max_model_len (${e.max_model_len})`;
  }

  slots(): number {
    return this.capacity;
  }

  override submit(a: AttemptSpec): SubmitResult {
    this.submitting = a;
    const r = super.submit(a);
    this.submitting = null;
    return r;
  }

  protected hasRoom(): boolean {
    const free = this.capacity - this.running;
    return this.queue.size + this.transit < this.maxQueue + Math.max(free, 0);
  }

  protected enqueue(idx: number): void {
    const p = this.pool;
    if (this.engineSpec.prefix_caching) p.setBlocks(idx, this.submitting?.prefix_blocks);
    if (p.prompt[idx] + p.output[idx] > this.engineSpec.max_model_len) {
      // vLLM's 400: a fast error (cancel and crash treat it as one).
      this.fastPending++;
      p.state[idx] = S_FAST;
      this.afterApi(EV_REJECT, p.tag(idx));
    } else if (this.apiMs > 0) {
      if (idx >= this.inTransit.length) this.inTransit = grown(this.inTransit, 2 * (idx + 1));
      this.inTransit[idx] = 1;
      this.transit++;
      this.afterApi(EV_ARRIVE, p.tag(idx));
    } else this.arrive(idx);
  }

  /**
   * Schedule `kind` api_overhead_ms after now: through the engine's sorted stream for that delay (these
   * events are in time order), at the same instant and in the same order as engine.schedule would.
   */
  private afterApi(kind: number, tag: number): void {
    if (this.apiStream < 0) this.apiStream = this.engine.delayStream(this.apiMs);
    this.engine.scheduleInStream(this.apiStream, this.engine.now() + this.apiMs, this.target, kind, tag);
  }

  protected withdraw(idx: number): void {
    if (idx < this.inTransit.length && this.inTransit[idx] === 1) {
      this.inTransit[idx] = 0;
      this.transit--;
    } else this.sched.remove(idx);
    this.pool.release(idx);
    this.syncRunning();
    if (!this.stepping) this.beginStep();
  }

  protected dropAll(): void {
    this.sched.reset();
    this.inTransit.fill(0);
    this.transit = 0;
    this.observed = 0;
    this.cancelStep();
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

  observedHitRate(): number {
    return this.observed;
  }

  prefixMatch(blocks: ArrayLike<number> | undefined): number {
    if (!this.engineSpec.prefix_caching || blocks === undefined || blocks.length === 0) return 0;
    return this.kv.match(blocks, blocks.length) / blocks.length;
  }

  cacheLookups(): number {
    return this.sched.lookups;
  }

  cacheHits(): number {
    return this.sched.hits;
  }

  freeKvBlocks(): number {
    return this.kv.free;
  }

  engineStats(): EngineStats {
    return {
      steps: this.steps,
      preemptions: this.sched.preemptions,
      kv_blocks: this.kv.total,
      kv_peak_usage: this.kv.peakUsed / this.kv.total,
      prefix_evictions: this.kv.evictions,
    };
  }

  protected onModelEvent(kind: number, arg: number): void {
    if (kind === EV_STEP) {
      if (arg === this.stepGen) this.endStep();
      return;
    }
    const p = this.pool;
    if (!p.valid(arg)) return; // cancelled or crashed since
    const idx = p.indexOf(arg);
    if (kind === EV_ARRIVE) {
      this.inTransit[idx] = 0;
      this.transit--;
      this.arrive(idx);
    } else if (kind === EV_REJECT) this.reject(idx);
  }

  // SchedulerHost
  admitted(idx: number): void {
    const p = this.pool;
    p.start[idx] = this.engine.now();
    p.state[idx] = S_RUNNING;
    this.drawFailure(idx);
    this.stats.prompt_tokens += p.prompt[idx];
    this.stats.cached_tokens += p.cached[idx];
    this.observed += HIT_RATE_EWMA_ALPHA * ((p.cached[idx] > 0 ? 1 : 0) - this.observed);
  }

  firstToken(idx: number): void {
    this.pool.firstAt[idx] = this.engine.now() + this.firstTokenMs;
  }

  finished(idx: number, ok: boolean): void {
    const p = this.pool;
    if (p.firstAt[idx] > this.engine.now()) p.firstAt[idx] = this.engine.now();
    this.syncRunning();
    this.finish(idx, ok);
    this.emit();
  }

  private arrive(idx: number): void {
    this.sched.add(idx);
    if (!this.stepping) this.beginStep();
  }

  protected beginStep(): void {
    if (this.stalled || this.down) {
      this.stepping = false;
      return;
    }
    const n = this.sched.schedule(this.batch, this);
    this.syncRunning();
    if (n === 0) {
      this.stepping = false;
      return;
    }
    this.stepping = true;
    this.steps++;
    this.stepEnd = this.engine.now() + this.physics.stepMs(this.batch) * this.speed;
    this.engine.scheduleAt(this.stepEnd, this.target, EV_STEP, this.stepGen);
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
    this.outcome.client_error = true;
    this.emit();
    this.outcome.detail = undefined;
    this.outcome.client_error = undefined;
  }
}
