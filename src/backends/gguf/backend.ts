/**
 * The gguf backend: a real model served by llama.cpp through node-llama-cpp, on real time.
 *
 * One context holds `max_concurrency` sequences, decoded together in shared batches (node-llama-cpp's
 * continuous batching); attempts beyond them wait in a FIFO queue of at most `max_queue` ('queue_full'
 * beyond). Each attempt evaluates a prompt of exactly `prompt_tokens` filler tokens (at least 1) on a
 * cleared sequence, then generates exactly `output_tokens` tokens greedily, end-of-sequence ignored.
 * TTFT, end-to-end and queueing are measured with performance.now() from the moment submit() accepted
 * the attempt: real time is the point here, so this module, unlike backends/sim, reads the wall clock.
 *
 * Failure is reported, never thrown at the driver: a model that fails to load (missing, not GGUF,
 * truncated, unsupported, out of memory, load timeout) leaves the backend 'failed'; a crash while
 * generating completes that attempt with kind 'error' and a detail, fails the queued ones the same way,
 * and leaves the backend 'failed'. A failed or closed backend answers every submit with 'unavailable',
 * which is the driver's cue to mark the model unhealthy.
 *
 * The weights are read into memory, not mmap'd: with a mapping, a model file truncated or rewritten while
 * the model serves makes the next page fault a SIGBUS, which kills the whole process with no report. The
 * file is watched all the same (size, mtime, inode, checked as each attempt starts): once it changes, the
 * model in memory is no longer the one the file names, so the backend fails like a crash ('error' for
 * that attempt and the queued ones, then 'unavailable') and the run goes on without it.
 */

import { type Stats, statSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import type { ModelSpec } from '../../core/types.js';
import type { AttemptOutcome, AttemptSpec, Backend, BackendHost, SubmitResult } from '../backend.js';
import { LiveQueue } from '../live-queue.js';
import { inspectGguf } from './discover.js';
import {
  errorMessage,
  type GpuChoice,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Runtime,
  sharedRuntime,
  type Token,
  withTimeout,
} from './runtime.js';

export interface GgufBackendOptions {
  /** Overrides spec.gguf.gpu: auto (node-llama-cpp's detection, prebuilt binaries only), cuda, vulkan, false. */
  gpu?: GpuChoice;
  /** CPU threads for llama.cpp (default: all cores but one on CPU, node-llama-cpp's choice on GPU). */
  threads?: number;
  /** Loading the runtime, model and context must finish within this (default 120 s). */
  load_timeout_ms?: number;
  /** An attempt still generating after this long stops with kind 'timeout' (default: no limit). */
  attempt_timeout_ms?: number;
}

const DEFAULT_LOAD_TIMEOUT_MS = 120_000;

export type GgufBackendState = 'loading' | 'ready' | 'failed' | 'closed';

/** Text whose tokens fill prompts; any model's tokenizer turns it into ordinary (non-special) tokens. */
const FILLER_TEXT =
  'The quick brown fox jumps over the lazy dog while routers balance requests across models and queues. ';

interface Job {
  spec: AttemptSpec;
  /** performance.now() at submit. */
  arrival: number;
}

export class GgufBackend implements Backend {
  readonly modelId: string;
  private stateNow: GgufBackendState = 'loading';
  private failureDetail: string | null = null;
  private runtime: Runtime | null = null;
  private model: LlamaModel | null = null;
  private context: LlamaContext | null = null;
  private readonly free: LlamaContextSequence[] = [];
  private readonly waiting = new LiveQueue<Job>();
  private readonly running = new Set<Promise<void>>();
  /** Ids of running attempts cancelled: each stops at its next token and reports nothing. */
  private readonly cancelled = new Set<number>();
  /** Ids of attempts being served now. */
  private readonly serving = new Set<number>();
  /** Real models simulate no faults. */
  readonly faults = null;
  private filler: Token[] = [];
  private closePromise: Promise<void> | null = null;
  private deviceName = '';
  private readonly gpu: GpuChoice;
  /** The model file as it was when loading began (see fileChange). */
  private fileStamp: Stats | null = null;

  /** Use createGgufBackend(); the constructor does not load anything. */
  constructor(
    readonly spec: ModelSpec,
    private readonly host: BackendHost,
    private readonly opts: GgufBackendOptions = {},
  ) {
    if (!spec.gguf) throw new UserError(`model ${spec.id}: backend gguf needs a model file (path:)`);
    this.modelId = spec.id;
    this.gpu = opts.gpu ?? spec.gguf.gpu;
  }

  /** loading → ready | failed; closed after close(). */
  get state(): GgufBackendState {
    return this.stateNow;
  }

  /** Why the backend is failed (names the model), or null. */
  get failure(): string | null {
    return this.failureDetail;
  }

  /** What it runs on, e.g. "cpu (2 threads)" or "cuda: NVIDIA H100 80GB HBM3"; '' before loading. */
  get device(): string {
    return this.deviceName;
  }

  /** Layers llama.cpp offloaded to the GPU (0 on CPU). */
  get gpuLayers(): number {
    return this.model?.gpuLayers ?? 0;
  }

  /** Per-sequence context size actually allocated (tokens). */
  get contextSize(): number {
    return this.free[0]?.contextSize ?? this.context?.contextSize ?? 0;
  }

  /** Load the runtime, model and context (bounded by load_timeout_ms). Never throws: failure sets state. */
  load(): Promise<void> {
    this.loading ??= this.loadOnce();
    return this.loading;
  }

  private loading: Promise<void> | null = null;

  private async loadOnce(): Promise<void> {
    const gguf = this.spec.gguf!;
    const abort = new AbortController();
    let mark = 0;
    const work = async () => {
      this.fileStamp = statSync(gguf.path, { throwIfNoEntry: false }) ?? null;
      await inspectGguf(gguf.path);
      this.runtime = await sharedRuntime(this.gpu, this.opts.threads);
      this.deviceName = this.runtime.device;
      mark = this.runtime.log.mark();
      if (abort.signal.aborted) throw new Error('aborted');
      this.model = await this.runtime.llama.loadModel({
        modelPath: gguf.path,
        loadSignal: abort.signal,
        useMmap: false,
        ...(this.gpu === false ? { gpuLayers: 0 } : {}),
      });
      const sequences = Math.max(1, this.spec.max_concurrency);
      this.context = await this.model.createContext({
        sequences,
        contextSize: gguf.context_size > 0 ? gguf.context_size : 'auto',
        createSignal: abort.signal,
        failedCreationRemedy: false,
      });
      for (let i = 0; i < sequences; i++) this.free.push(this.context.getSequence());
      this.filler = this.model.tokenize(FILLER_TEXT).filter((t) => !this.model!.isEogToken(t));
      if (this.filler.length === 0) this.filler = [this.model.tokens.bos ?? (0 as Token)];
      // Finished after the timeout gave up on it: free what it made, nobody will use it.
      if (abort.signal.aborted) await this.release();
    };
    const timeout = this.opts.load_timeout_ms ?? DEFAULT_LOAD_TIMEOUT_MS;
    try {
      await withTimeout(work(), timeout, 'loading', () => abort.abort());
      if (this.stateNow === 'loading') this.stateNow = 'ready';
    } catch (err) {
      const cause = err instanceof UserError ? (err.problems[0]?.message ?? err.message) : errorMessage(err);
      const logged = this.runtime?.log.lastError(mark);
      const why = logged && !cause.includes(logged) ? `${cause}: ${logged}` : cause;
      this.failureDetail = `model ${this.modelId} (${gguf.path}) failed to load: ${why}`;
      this.stateNow = 'failed';
      await this.release();
    }
  }

  submit(attempt: AttemptSpec): SubmitResult {
    if (this.stateNow !== 'ready') return 'unavailable';
    // Copied: the driver reuses its AttemptSpec object for the next attempt, and this one is read later.
    const job: Job = { spec: { ...attempt }, arrival: performance.now() };
    const seq = this.free.pop();
    if (seq) {
      this.start(job, seq);
      return 'accepted';
    }
    if (this.queued() >= this.spec.max_queue) return 'queue_full';
    this.waiting.push(job);
    return 'accepted';
  }

  /** A queued attempt leaves the queue; a running one stops at its next token (its sequence is freed then). */
  cancel(id: number): boolean {
    if (this.waiting.remove(id)) return true;
    if (!this.serving.has(id) || this.cancelled.has(id)) return false;
    this.cancelled.add(id);
    return true;
  }

  inService(): number {
    return this.running.size;
  }

  queued(): number {
    return this.waiting.size;
  }

  /** Resolves when nothing is in service or queued (for drivers draining a live run, and tests). */
  idle(): Promise<void> {
    return this.waiting.idle(this.running.size);
  }

  /** Stop taking work, fail what is queued, let what is running stop at its next token, free everything. */
  close(): Promise<void> {
    this.closePromise ??= (async () => {
      await this.loading;
      this.stateNow = 'closed';
      this.failQueued('backend closed');
      await Promise.allSettled([...this.running]);
      await this.release();
    })();
    return this.closePromise;
  }

  private async release(): Promise<void> {
    this.free.length = 0;
    const ctx = this.context;
    const model = this.model;
    this.context = null;
    this.model = null;
    await ctx?.dispose().catch(() => undefined);
    await model?.dispose().catch(() => undefined);
    this.runtime = null;
  }

  private start(job: Job, seq: LlamaContextSequence): void {
    const p = this.serve(job, seq).finally(() => {
      this.running.delete(p);
      if (this.stateNow === 'ready' && !seq.disposed) this.free.push(seq);
      this.pump();
    });
    this.running.add(p);
  }

  private pump(): void {
    while (this.stateNow === 'ready' && this.free.length > 0 && this.queued() > 0)
      this.start(this.waiting.shift()!, this.free.pop()!);
    this.waiting.settle(this.running.size);
  }

  private promptFor(a: AttemptSpec): Token[] {
    const n = Math.max(1, Math.floor(a.prompt_tokens));
    const f = this.filler;
    const offset = Math.abs(a.id) % f.length;
    const out = new Array<Token>(n);
    for (let i = 0; i < n; i++) out[i] = f[(offset + i) % f.length];
    return out;
  }

  private async serve(job: Job, seq: LlamaContextSequence): Promise<void> {
    const a = job.spec;
    const start = performance.now();
    const want = Math.max(0, Math.floor(a.output_tokens));
    let produced = 0;
    let first = Number.NaN;
    let kind: AttemptOutcome['kind'] = 'ok';
    let detail: string | undefined;
    this.serving.add(a.id);
    try {
      // Never report from inside submit(): the driver has not yet recorded the attempt as accepted.
      await Promise.resolve();
      const prompt = this.promptFor(a);
      const changed = this.fileChange();
      if (changed !== null) {
        kind = 'error';
        detail = `model ${this.modelId}: ${changed}; stopped serving it`;
        this.fail(detail);
      } else if (prompt.length + want > seq.contextSize) {
        kind = 'error';
        detail = `model ${this.modelId}: prompt (${prompt.length}) + output (${want}) tokens exceed the context (${seq.contextSize})`;
      } else {
        await seq.clearHistory();
        if (want === 0) {
          await seq.evaluateWithoutGeneratingNewTokens(prompt);
        } else {
          const deadline = start + (this.opts.attempt_timeout_ms ?? Number.POSITIVE_INFINITY);
          for await (const _token of seq.evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
            produced++;
            if (produced === 1) first = performance.now();
            if (produced < want) this.host.progress?.(a.id, produced, Number.NaN);
            if (produced >= want || this.cancelled.has(a.id)) break;
            if (this.stateNow === 'closed') {
              kind = 'error';
              detail = `model ${this.modelId}: backend closed during generation`;
              break;
            }
            if (performance.now() > deadline) {
              kind = 'timeout';
              break;
            }
          }
          if (kind === 'ok' && produced < want) {
            kind = 'error';
            detail = `model ${this.modelId}: generation stopped after ${produced} of ${want} tokens`;
          }
        }
      }
    } catch (err) {
      kind = 'error';
      detail = `model ${this.modelId} crashed while generating: ${errorMessage(err)}`;
      this.fail(detail);
    }
    const end = performance.now();
    this.serving.delete(a.id);
    if (this.cancelled.delete(a.id)) return;
    this.host.complete({
      id: a.id,
      kind,
      queue_ms: start - job.arrival,
      ttft_ms: Number.isNaN(first) ? Number.NaN : first - job.arrival,
      e2e_ms: end - job.arrival,
      output_tokens: produced,
      cached_tokens: 0,
      ...(detail !== undefined ? { detail } : {}),
    });
  }

  /** What happened to the model file since loading began (removed, resized, rewritten), or null. */
  private fileChange(): string | null {
    const was = this.fileStamp;
    if (was === null) return null;
    const path = this.spec.gguf!.path;
    const now = statSync(path, { throwIfNoEntry: false });
    if (now === undefined) return `the model file ${path} was removed during the run`;
    if (now.size !== was.size)
      return `the model file ${path} changed during the run (${was.size} bytes at load, ${now.size} now)`;
    if (now.mtimeMs !== was.mtimeMs || now.ino !== was.ino)
      return `the model file ${path} was rewritten during the run`;
    return null;
  }

  /** Enter 'failed' (once) and fail every queued attempt with the same detail. */
  private fail(detail: string): void {
    if (this.stateNow !== 'ready') return;
    this.stateNow = 'failed';
    this.failureDetail = detail;
    this.failQueued(detail);
  }

  private failQueued(detail: string): void {
    for (const job of this.waiting.drain()) {
      const now = performance.now();
      this.host.complete({
        id: job.spec.id,
        kind: 'error',
        queue_ms: now - job.arrival,
        ttft_ms: Number.NaN,
        e2e_ms: now - job.arrival,
        output_tokens: 0,
        cached_tokens: 0,
        detail,
      });
    }
  }
}

/**
 * Create and load a gguf backend for `spec` (backend 'gguf'). node-llama-cpp is imported here, lazily.
 * Resolves once loading has settled: check `state` ('ready' | 'failed') and `failure`; a failed backend
 * answers every submit with 'unavailable'. Throws UserError only when the spec has no gguf section.
 */
export async function createGgufBackend(
  spec: ModelSpec,
  host: BackendHost,
  opts: GgufBackendOptions = {},
): Promise<GgufBackend> {
  const b = new GgufBackend(spec, host, opts);
  await b.load();
  return b;
}
