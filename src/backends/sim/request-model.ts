/**
 * Latency models with one service time per attempt: `ttft_tpot` and `service`. max_concurrency slots, a
 * FIFO queue in front (model.ts). When an attempt gets a slot (time s), with speed = latency factor ×
 * degraded slowdown at that moment and f = cached share of its prompt (cache.ts):
 * - ttft_tpot: ttft = sample(ttft) × speed × (1 − CACHED_TTFT_SAVING × f); e2e service =
 *   ttft + sample(tpot) × speed × output_tokens (one tpot draw per attempt). First token at s + ttft.
 * - service: the whole service time = sample(service) × speed; ttft = e2e (no tokens are modelled and the
 *   cache does not shorten it): the textbook queue.
 * Draws come from stream `backend/<id>` in a fixed order (ttft then tpot, or service), whether or not the
 * attempt fails, so failures never shift latency draws.
 * failure_rate: drawn at slot time; a failing attempt errors at s + ttft (after prefill, no token) and
 * frees its slot then.
 * One engine event per attempt (EV_DONE at its end), except with a prefix cache or a streaming host
 * (BackendHost.progress): EV_FIRST_TOKEN at s + ttft inserts the prompt's blocks (insertion after prefill)
 * and tells the host, then EV_DONE.
 * A hang (stall) freezes running attempts where they are: a first token or end still ahead at the stall
 * comes that much later after it; nothing starts while stalled, and the queue may then also hold the
 * free slots' worth. A cancelled attempt frees its slot at once (the next queued one starts).
 */

import type { Sampler } from '../../core/distributions/kind.js';
import { makeSampler } from '../../core/distributions/kinds.js';
import type { ModelSpec } from '../../core/types.js';
import type { Engine } from '../../engine/engine.js';
import type { Rng, RngStreams } from '../../engine/rng.js';
import type { BackendHost } from '../backend.js';
import { CACHED_TTFT_SAVING } from './constants.js';
import { SimModel } from './model.js';
import { EV_DONE, EV_FIRST_TOKEN } from './model-stats.js';
import { S_QUEUED, S_RUNNING } from './pool.js';

export class RequestModel extends SimModel {
  private readonly isService: boolean;
  private readonly first: Sampler;
  private readonly perToken: Sampler;
  private readonly rng: Rng;
  private readonly twoEvents: boolean;

  constructor(spec: ModelSpec, engine: Engine, host: BackendHost, streams: RngStreams) {
    super(spec, engine, host, streams);
    const lat = spec.latency;
    if (lat.model === 'ttft_tpot') {
      this.isService = false;
      this.first = makeSampler(lat.ttft);
      this.perToken = makeSampler(lat.tpot);
    } else if (lat.model === 'service') {
      this.isService = true;
      this.first = makeSampler(lat.service);
      this.perToken = () => 0;
    } else {
      throw new RangeError(`${spec.id}: RequestModel serves ttft_tpot and service, not ${lat.model}`);
    }
    this.rng = streams.get(`backend/${spec.id}`);
    // A streaming host hears of the first token when it is produced: one more event per attempt.
    this.twoEvents = this.cache.inserts || host.progress !== undefined;
  }

  slots(): number {
    return this.capacity;
  }

  protected hasRoom(): boolean {
    if (this.stalled) return this.queue.size < this.maxQueue + Math.max(0, this.capacity - this.running);
    return this.running < this.capacity || this.queue.size < this.maxQueue;
  }

  protected enqueue(idx: number): void {
    if (this.running < this.capacity && !this.stalled) this.begin(idx);
    else this.queue.push(idx);
  }

  protected onCapacityChange(): void {
    this.drain();
  }

  protected withdraw(idx: number): void {
    if (this.pool.state[idx] === S_QUEUED) {
      this.queue.remove(idx);
      this.pool.release(idx);
      return;
    }
    this.pool.release(idx);
    this.vacate();
    this.drain();
  }

  protected dropAll(): void {
    this.queue.clear();
  }

  protected pause(): void {
    const p = this.pool;
    for (let i = 0; i < p.capacity; i++) if (p.state[i] === S_RUNNING) p.bump(i);
  }

  protected resume(stalledMs: number): void {
    const p = this.pool;
    const from = this.engine.now() - stalledMs;
    for (let i = 0; i < p.capacity; i++) {
      if (p.state[i] !== S_RUNNING) continue;
      const beforeFirst = p.firstAt[i] > from;
      if (beforeFirst) p.firstAt[i] += stalledMs;
      p.doneStep[i] += stalledMs;
      this.schedulePending(i, beforeFirst);
    }
    this.drain();
  }

  /** Schedule attempt idx's next event: its first token (or failure) when still ahead, else its end. */
  private schedulePending(idx: number, beforeFirst: boolean): void {
    const p = this.pool;
    const tag = p.tag(idx);
    if (!beforeFirst) this.engine.scheduleAt(p.doneStep[idx], this.target, EV_DONE, tag);
    else if (this.twoEvents) this.engine.scheduleAt(p.firstAt[idx], this.target, EV_FIRST_TOKEN, tag);
    else {
      const at = p.fail[idx] === 1 ? p.firstAt[idx] : p.doneStep[idx];
      this.engine.scheduleAt(at, this.target, EV_DONE, tag);
    }
  }

  private drain(): void {
    if (this.stalled) return;
    const q = this.queue;
    while (this.running < this.capacity && q.size > 0) this.begin(q.shift());
  }

  private begin(idx: number): void {
    this.occupy();
    const p = this.pool;
    const now = this.engine.now();
    p.start[idx] = now;
    p.state[idx] = S_RUNNING;
    const prompt = p.prompt[idx];
    const uncached = this.lookupCache(idx);
    const speed = this.speed;
    let ttft: number;
    let e2e: number;
    if (this.isService) {
      ttft = this.first(this.rng) * speed;
      e2e = ttft;
    } else {
      const share = prompt > 0 ? (prompt - uncached) / prompt : 0;
      ttft = this.first(this.rng) * speed * (1 - CACHED_TTFT_SAVING * share);
      e2e = ttft + this.perToken(this.rng) * speed * p.output[idx];
    }
    this.drawFailure(idx);
    p.firstAt[idx] = now + ttft;
    // The end, in doneStep (unused by this model otherwise).
    p.doneStep[idx] = now + e2e;
    this.schedulePending(idx, true);
  }

  protected onModelEvent(kind: number, tag: number): void {
    const p = this.pool;
    if (!p.valid(tag)) return;
    const idx = p.indexOf(tag);
    if (kind === EV_DONE) this.end(idx, p.fail[idx] === 0);
    else if (kind === EV_FIRST_TOKEN) this.firstToken(idx, tag);
  }

  /**
   * EV_FIRST_TOKEN (a prefix cache or a streaming host only): insert the prompt's blocks, tell the host,
   * schedule the end. A method of its own so that onModelEvent, on every attempt's path, stays small.
   */
  private firstToken(idx: number, tag: number): void {
    const p = this.pool;
    if (this.cache.inserts) this.cache.insert(p.blocks[idx], p.nBlocks[idx]);
    if (p.fail[idx] === 1) this.end(idx, false);
    else {
      this.engine.scheduleAt(p.doneStep[idx], this.target, EV_DONE, tag);
      this.host.progress?.(p.id[idx], 1, p.doneStep[idx]);
    }
  }

  /** From onModelEvent only: the event being handled is the attempt's one pending event. */
  private end(idx: number, ok: boolean): void {
    this.finish(idx, ok, true);
    this.vacate();
    this.drain();
    this.emit();
  }
}
