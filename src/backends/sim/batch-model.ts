/**
 * Continuous batching (`batching`, and `profile` with fitted coefficients), simulated one engine event per
 * model step, not per token. Up to min(max_concurrency, max_batch) sequences share the model; the rest
 * wait in the FIFO queue (max_queue counts the waiting that the next step cannot admit). Steps run back to
 * back while there is work; at each step boundary (time t, speed = latency factor × degraded slowdown then):
 * - if queued attempts fit, they all join and the step is a PREFILL step over their uncached prompt tokens
 *   (cache lookup at join, insertion at the step's end); running sequences stall meanwhile (no chunked
 *   prefill). batching: prefill_per_token_ms × tokens; profile: prefill_base_ms + prefill_ms_per_token ×
 *   tokens (the base once per step). Every joined sequence gets its first token at the step's end;
 *   failure_rate is drawn at join and a failing sequence errors there (no token); one with
 *   output_tokens ≤ 1 completes there.
 * - otherwise it is a DECODE step that yields one token for every running sequence: batching:
 *   decode_step_ms × (1 + slowdown × (running − 1)); profile: decode_base_ms + decode_per_seq_ms × running.
 *   A sequence completes at the end of its (output_tokens − 1)-th decode step.
 * Both times are multiplied by speed. Per-sequence progress is a target step count (no per-token work):
 * the model counts decode steps and finishes sequences whose target is reached.
 * A hang (stall) freezes the step in progress: it ends its remaining time after the hang, and no step
 * starts meanwhile. A cancelled sequence leaves the batch at once (its seat and KV are free for the next
 * step; the step in progress keeps its duration).
 */

import type { ModelSpec } from '../../core/types.js';
import type { Engine } from '../../engine/engine.js';
import type { RngStreams } from '../../engine/rng.js';
import type { BackendHost } from '../backend.js';
import { type DeviceMap, deviceFor, type SharedDevice } from './device.js';
import { EV_STEP } from './model-stats.js';
import { S_QUEUED, S_RUNNING } from './pool.js';
import { SteppedModel } from './stepped-model.js';

export class BatchModel extends SteppedModel {
  private readonly maxBatch: number;
  private readonly isProfile: boolean;
  private readonly prefillBase: number;
  private readonly prefillPerToken: number;
  private readonly decodeStep: number;
  private readonly slowdown: number;
  private readonly decodeBase: number;
  private readonly decodePerSeq: number;
  /** Pool indices of running sequences, [0, running). */
  private run = new Int32Array(64);
  private stepPrefill = false;
  /** Sequences that joined in the current prefill step: run[running − joined, running). */
  private joined = 0;
  /** Decode steps completed so far. */
  private steps = 0;
  /** Smallest target step among decoding sequences. */
  private minDone = Number.POSITIVE_INFINITY;
  /** Steps run so far (prefill + decode), for reports and tests. */
  stepCount = 0;

  /** Shared with other models (spec.device): steps wait for it (device.ts). */
  private readonly device: SharedDevice | null;

  constructor(spec: ModelSpec, engine: Engine, host: BackendHost, streams: RngStreams, devices?: DeviceMap) {
    super(spec, engine, host, streams);
    this.device = spec.device !== undefined && devices !== undefined ? deviceFor(devices, spec.device) : null;
    const lat = spec.latency;
    if (lat.model === 'batching') {
      if (!(lat.max_batch >= 1)) throw new RangeError(`${spec.id}: max_batch must be >= 1`);
      this.isProfile = false;
      this.maxBatch = lat.max_batch;
      this.prefillBase = 0;
      this.prefillPerToken = lat.prefill_per_token_ms;
      this.decodeStep = lat.decode_step_ms;
      this.slowdown = lat.slowdown;
      this.decodeBase = 0;
      this.decodePerSeq = 0;
    } else if (lat.model === 'profile') {
      this.isProfile = true;
      this.maxBatch = Number.POSITIVE_INFINITY;
      this.prefillBase = lat.prefill_base_ms;
      this.prefillPerToken = lat.prefill_ms_per_token;
      this.decodeStep = 0;
      this.slowdown = 0;
      this.decodeBase = lat.decode_base_ms;
      this.decodePerSeq = lat.decode_per_seq_ms;
    } else {
      throw new RangeError(`${spec.id}: BatchModel serves batching and profile, not ${lat.model}`);
    }
  }

  slots(): number {
    return Math.min(this.capacity, this.maxBatch);
  }

  /** Time of a prefill step over `tokens` uncached tokens, before speed. */
  prefillTime(tokens: number): number {
    return this.isProfile ? this.prefillBase + this.prefillPerToken * tokens : this.prefillPerToken * tokens;
  }

  /** Time of a decode step with `running` sequences, before speed. */
  decodeTime(running: number): number {
    return this.isProfile
      ? this.decodeBase + this.decodePerSeq * running
      : this.decodeStep * (1 + this.slowdown * (running - 1));
  }

  protected hasRoom(): boolean {
    const free = this.slots() - this.running;
    return this.queue.size < this.maxQueue + Math.max(free, 0);
  }

  protected enqueue(idx: number): void {
    this.queue.push(idx);
    if (!this.stepping) this.beginStep();
  }

  protected onCapacityChange(): void {
    if (!this.stepping) this.beginStep();
  }

  protected withdraw(idx: number): void {
    const p = this.pool;
    if (p.state[idx] === S_QUEUED) {
      this.queue.remove(idx);
      p.release(idx);
      return;
    }
    const run = this.run;
    let i = 0;
    while (run[i] !== idx) i++;
    // Keep this step's joiners at the end: an older entry takes the last older one's place, which the
    // last joiner then fills.
    const last = this.running - 1;
    const from = this.running - this.joined;
    if (i >= from) {
      run[i] = run[last];
      this.joined--;
    } else {
      run[i] = run[from - 1];
      run[from - 1] = run[last];
    }
    p.release(idx);
    this.vacate();
    if (!this.stepping) this.beginStep();
  }

  protected dropAll(): void {
    this.queue.clear();
    this.joined = 0;
    this.minDone = Number.POSITIVE_INFINITY;
    this.cancelStep();
  }

  protected beginStep(): void {
    if (this.stalled || this.down) {
      this.stepping = false;
      return;
    }
    const limit = this.slots();
    const q = this.queue;
    const p = this.pool;
    let joined = 0;
    let tokens = 0;
    if (this.running < limit && q.size > 0) {
      const now = this.engine.now();
      while (this.running < limit && q.size > 0) {
        const idx = q.shift();
        if (this.running === this.run.length) this.growRun();
        this.run[this.running] = idx;
        p.state[idx] = S_RUNNING;
        this.occupy();
        p.start[idx] = now;
        p.phase[idx] = 0;
        tokens += this.lookupCache(idx);
        this.drawFailure(idx);
        joined++;
      }
    }
    let dur: number;
    this.joined = joined;
    if (joined > 0) {
      this.stepPrefill = true;
      dur = this.prefillTime(tokens) * this.speed;
    } else if (this.running > 0) {
      this.stepPrefill = false;
      dur = this.decodeTime(this.running) * this.speed;
    } else {
      this.stepping = false;
      return;
    }
    this.stepping = true;
    this.stepCount++;
    const now = this.engine.now();
    this.stepEnd = this.device === null ? now + dur : this.device.reserve(now, dur);
    this.engine.scheduleAt(this.stepEnd, this.target, EV_STEP, this.stepGen);
  }

  protected onModelEvent(kind: number, arg: number): void {
    if (kind === EV_STEP && arg === this.stepGen) this.endStep();
  }

  private endStep(): void {
    const p = this.pool;
    const run = this.run;
    if (this.stepPrefill) {
      const now = this.engine.now();
      // The joiners are the last `joined` entries (nothing leaves the batch during a step). Backwards, so
      // that swap-removal only moves entries already visited.
      const from = this.running - this.joined;
      for (let i = this.running - 1; i >= from; i--) {
        const idx = run[i];
        p.phase[idx] = 1;
        p.firstAt[idx] = now;
        this.cache.insert(p.blocks[idx], p.nBlocks[idx]);
        if (p.fail[idx] === 1) this.drop(i, idx, false);
        else if (p.output[idx] <= 1) this.drop(i, idx, true);
        else {
          const target = this.steps + p.output[idx] - 1;
          p.doneStep[idx] = target;
          if (target < this.minDone) this.minDone = target;
          // Step times vary with the batch: the end is not known yet.
          this.host.progress?.(p.id[idx], 1, Number.NaN);
        }
      }
    } else {
      const k = ++this.steps;
      if (k >= this.minDone) {
        let min = Number.POSITIVE_INFINITY;
        for (let i = this.running - 1; i >= 0; i--) {
          const idx = run[i];
          if (p.phase[idx] !== 1) continue;
          const d = p.doneStep[idx];
          if (d <= k) this.drop(i, idx, true);
          else if (d < min) min = d;
        }
        this.minDone = min;
      }
    }
    this.beginStep();
  }

  /** Remove run[i] (= idx), report it. */
  private drop(i: number, idx: number, ok: boolean): void {
    const last = this.running - 1;
    this.run[i] = this.run[last];
    this.finish(idx, ok);
    this.vacate();
    this.emit();
  }

  private growRun(): void {
    const next = new Int32Array(this.run.length * 2);
    next.set(this.run);
    this.run = next;
  }
}
