/**
 * The one door to node-llama-cpp. It is imported lazily (a sim-only run never loads llama.cpp), one Llama
 * runtime is shared per (gpu, threads) for the life of the process, binaries are never built or downloaded (`build: 'never'`), and llama.cpp's log lines are
 * captured instead of printed so a failure can be reported in one clear line.
 */
import { availableParallelism } from 'node:os';
import type { GgufSpec } from '../../core/types.js';

export type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = import('node-llama-cpp').Llama;
export type LlamaModel = import('node-llama-cpp').LlamaModel;
export type LlamaContext = import('node-llama-cpp').LlamaContext;
export type LlamaContextSequence = import('node-llama-cpp').LlamaContextSequence;
export type Token = import('node-llama-cpp').Token;
export type GpuChoice = GgufSpec['gpu'];

let modulePromise: Promise<NodeLlamaCpp> | null = null;

/** node-llama-cpp, imported on first use. */
export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  modulePromise ??= import('node-llama-cpp');
  return modulePromise;
}

/** Recent llama.cpp log lines of one runtime (warnings and errors), newest last. */
export class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly max = 50) {}
  push(level: string, message: string): void {
    const text = message.trim();
    if (text.length === 0) return;
    this.lines.push(`${level}: ${text}`);
    if (this.lines.length > this.max) {
      this.lines.shift();
      this.dropped++;
    }
  }
  private dropped = 0;
  /** Lines logged after position `mark` (see mark()). */
  since(mark: number): string[] {
    return this.lines.slice(Math.max(0, mark - this.dropped));
  }
  /** A position in the log, for since() and lastError(). */
  mark(): number {
    return this.dropped + this.lines.length;
  }
  /** The most telling error line logged after `mark`, without llama.cpp's function prefix. */
  lastError(mark: number): string | null {
    const lines = this.since(mark).filter((l) => l.startsWith('error:'));
    // llama.cpp logs the cause first ("error loading model: ...") and generic lines after it.
    const cause =
      lines.find((l) => /error loading model|unknown model|not within the file|failed to/.test(l)) ??
      lines[0];
    if (!cause) return null;
    return cause.replace(/^error:\s*/, '').replace(/^\w+:\s+/, '');
  }
}

export interface Runtime {
  llama: Llama;
  log: LogTail;
  /** What the runtime computes on, e.g. "cpu (2 threads)" or "cuda: NVIDIA H100". */
  device: string;
}

const shared = new Map<string, Promise<Runtime>>();

/**
 * Default threads on CPU: every core but one, which is left to the JS thread that feeds batches and takes
 * the timings. llama.cpp's threads spin at barriers, so oversubscribing (node-llama-cpp's default is at
 * least 4) turns a 1 ms step into hundreds of ms on a small or busy machine.
 */
export function defaultCpuThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * The thread cap to set once node-llama-cpp has chosen where to compute, or undefined to leave its choice:
 * a choice that was not explicitly `false` (e.g. `auto`) but found no GPU computes on the CPU, where
 * node-llama-cpp's default (at least 4 threads) spins against the feeding thread on a small machine and
 * made `routesim calibrate` on a 2-core machine ~100× slower than `--gpu false`. An explicit `threads` wins.
 */
export function cpuThreadsAfterLoad(
  asked: GpuChoice,
  resolved: string | false,
  threads: number | undefined,
): number | undefined {
  if (threads !== undefined || asked === false || resolved !== false) return undefined;
  return defaultCpuThreads();
}

async function createRuntime(gpu: GpuChoice, threads: number | undefined): Promise<Runtime> {
  const nlc = await loadNodeLlamaCpp();
  const log = new LogTail();
  const maxThreads = threads ?? (gpu === false ? defaultCpuThreads() : undefined);
  const llama = await nlc.getLlama({
    gpu,
    build: 'never',
    skipDownload: true,
    usePrebuiltBinaries: true,
    progressLogs: false,
    logLevel: nlc.LlamaLogLevel.warn,
    logger: (level, message) => log.push(String(level), message),
    ...(maxThreads !== undefined ? { maxThreads } : {}),
  });
  // `gpu: auto` that finds no GPU runs on the CPU too: cap its threads the same way.
  const cpuThreads = cpuThreadsAfterLoad(gpu, llama.gpu, threads);
  if (cpuThreads !== undefined) llama.maxThreads = cpuThreads;
  let device = `cpu (${llama.maxThreads || llama.cpuMathCores} threads)`;
  if (llama.gpu !== false) {
    const names = await llama.getGpuDeviceNames().catch(() => [] as string[]);
    device = `${llama.gpu}: ${names.join(', ') || 'unknown device'}`;
  }
  return { llama, log, device };
}

/**
 * The process-wide runtime for this gpu choice and thread count, created on first use and kept for the
 * life of the process (node-llama-cpp disposes it before exit). It is deliberately never disposed early:
 * disposing waits on every in-flight native call, which can stall after a crash, and a runtime created
 * after another was disposed no longer routes llama.cpp's log through our logger. Rejects with
 * node-llama-cpp's error when no usable binary exists for the choice (e.g. `cuda` on a machine without
 * CUDA); the next call tries again.
 */
export function sharedRuntime(gpu: GpuChoice, threads?: number): Promise<Runtime> {
  const key = `${gpu}/${threads ?? ''}`;
  let p = shared.get(key);
  if (!p) {
    p = createRuntime(gpu, threads);
    shared.set(key, p);
    p.catch(() => shared.delete(key));
  }
  return p;
}

/** Reject with `what timed out after N ms` unless `p` settles first; `onTimeout` may abort the work. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what} timed out after ${Math.round(ms)} ms`));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** A one-line message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
