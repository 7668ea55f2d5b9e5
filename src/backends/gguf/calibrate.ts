/**
 * Calibration: measure a real GGUF model through the same GgufBackend a live run uses, and fit the
 * simulator's `profile` latency model to it.
 * - prefill: one attempt at a time, output 1 token, at several prompt lengths; prefill = TTFT − queueing
 *   (the median of `repeats` runs per length), fitted as prefill_base_ms + prefill_ms_per_token × tokens.
 * - decode: n attempts at once (n = 1..max_seqs), each a short prompt and decode_tokens + 1 outputs; the step
 *   time is (e2e − TTFT) / decode_tokens per attempt (median over attempts and repeats), fitted as
 *   decode_base_ms + decode_per_seq_ms × n.
 * One warm-up attempt runs first and is not measured. measurePoints and fitProfile do the measuring and
 * fitting for any backend that reports outcomes (backends/openai/calibrate.ts measures an HTTP endpoint).
 */
import { basename } from 'node:path';
import { UserError } from '../../core/errors.js';
import { DEFAULT_GGUF_CONTEXT_SIZE, defaultModelSpec } from '../../core/model-spec.js';
import type { AttemptOutcome, BackendHost } from '../backend.js';
import { createGgufBackend } from './backend.js';
import { modelIdFromPath } from './discover.js';
import { fitLine, median } from './fit.js';
import type { ProfileFile, ProfilePoint } from './profile.js';
import type { GpuChoice } from './runtime.js';

export interface CalibrateOptions {
  gpu: GpuChoice;
  threads?: number;
  /** Prompt lengths for the prefill fit (tokens). */
  prompt_lengths: number[];
  /** Largest number of concurrent sequences for the decode fit (1..max_seqs are measured). */
  max_seqs: number;
  repeats: number;
  /** Tokens generated after the first in each decode measurement. */
  decode_tokens: number;
  /** Prompt length of decode measurements. */
  decode_prompt_tokens: number;
  load_timeout_ms?: number;
  /**
   * Pause (ms) before each measured attempt or batch, so that it starts from an idle model as attempts do
   * under light traffic (measured on CPU: a model idle for 300 ms serves its next request ~15% slower than
   * one kept busy). Default 0: back to back.
   */
  idle_ms?: number;
  /** Called with a line of progress now and then. */
  onProgress?: (line: string) => void;
}

export const CALIBRATE_DEFAULTS: Omit<CalibrateOptions, 'gpu'> = {
  prompt_lengths: [16, 64, 128, 256, 512],
  max_seqs: 4,
  repeats: 5,
  decode_tokens: 32,
  decode_prompt_tokens: 16,
};

/** Collects outcomes by attempt id for a backend the calibration drives. */
export class CollectingHost implements BackendHost {
  readonly outcomes = new Map<number, AttemptOutcome>();
  now(): number {
    return performance.now();
  }
  complete(o: AttemptOutcome): void {
    this.outcomes.set(o.id, o);
  }
}

export function checkOptions(o: Omit<CalibrateOptions, 'gpu'>): void {
  const problems: string[] = [];
  if (o.prompt_lengths.length < 2) problems.push('at least two prompt lengths are needed to fit a line');
  for (const l of o.prompt_lengths)
    if (!Number.isInteger(l) || l < 1) problems.push(`prompt length ${l} is not a positive integer`);
  if (!Number.isInteger(o.max_seqs) || o.max_seqs < 1)
    problems.push(`--max-seqs must be a positive integer, got ${o.max_seqs}`);
  if (!Number.isInteger(o.repeats) || o.repeats < 1)
    problems.push(`--repeats must be a positive integer, got ${o.repeats}`);
  if (!Number.isInteger(o.decode_tokens) || o.decode_tokens < 2)
    problems.push(`--decode-tokens must be an integer >= 2, got ${o.decode_tokens}`);
  if (problems.length > 0) throw new UserError(`bad calibrate options: ${problems.join('; ')}`);
}

/**
 * Measure `modelPath` and return the fitted profile (write it with writeProfile). Throws UserError naming
 * the model when it cannot be loaded, or when a measurement attempt fails.
 */
export async function calibrate(modelPath: string, opts: CalibrateOptions): Promise<ProfileFile> {
  checkOptions(opts);
  const progress = opts.onProgress ?? (() => undefined);
  const maxPrompt = Math.max(...opts.prompt_lengths, opts.decode_prompt_tokens + opts.decode_tokens + 1);
  const spec = defaultModelSpec(modelIdFromPath(modelPath), {
    backend: 'gguf',
    max_concurrency: opts.max_seqs,
    max_queue: opts.max_seqs,
    latency: { model: 'ttft_tpot', ttft: { dist: 'fixed', value: 0 }, tpot: { dist: 'fixed', value: 0 } },
    gguf: {
      path: modelPath,
      gpu: opts.gpu,
      context_size: Math.max(maxPrompt + 8, Math.min(256, DEFAULT_GGUF_CONTEXT_SIZE)),
    },
  });
  const host = new CollectingHost();
  const backend = await createGgufBackend(spec, host, {
    gpu: opts.gpu,
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.load_timeout_ms !== undefined ? { load_timeout_ms: opts.load_timeout_ms } : {}),
  });
  try {
    if (backend.state !== 'ready') {
      const why = backend.failure ?? `model ${spec.id} failed to load`;
      throw new UserError(`cannot calibrate ${modelPath}`, [
        { file: modelPath, line: 0, column: 0, message: why },
      ]);
    }
    progress(`loaded ${basename(modelPath)} on ${backend.device}`);
    const points = await measurePoints(backend, host, spec.id, opts);
    return fitProfile(basename(modelPath), backend.device, points);
  } finally {
    await backend.close();
  }
}

/** What measurePoints drives: a backend that reports into a CollectingHost and says when it is idle. */
export interface MeasuredBackend {
  submit(attempt: { id: number; prompt_tokens: number; output_tokens: number }): string;
  idle(): Promise<void>;
  /** Why the last attempt failed, when its outcome carries no detail. */
  readonly lastAttemptError?: string | null;
}

/**
 * Measure the prefill and decode points (see the top of this file) on `backend`, whose outcomes arrive in
 * `host`. Throws UserError naming `modelId` when an attempt is refused or fails.
 */
export async function measurePoints(
  backend: MeasuredBackend,
  host: CollectingHost,
  modelId: string,
  opts: Omit<CalibrateOptions, 'gpu'>,
): Promise<ProfilePoint[]> {
  const progress = opts.onProgress ?? (() => undefined);
  let nextId = 1;
  const runBatch = async (n: number, prompt: number, output: number): Promise<AttemptOutcome[]> => {
    if (opts.idle_ms) await new Promise((r) => setTimeout(r, opts.idle_ms));
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = nextId++;
      ids.push(id);
      const r = backend.submit({ id, prompt_tokens: prompt, output_tokens: output });
      if (r !== 'accepted') throw new UserError(`model ${modelId}: calibration attempt refused (${r})`);
    }
    await backend.idle();
    return ids.map((id) => {
      const o = host.outcomes.get(id)!;
      if (o.kind !== 'ok')
        throw new UserError(
          `model ${modelId}: calibration attempt failed: ${o.detail ?? backend.lastAttemptError ?? o.kind}`,
        );
      return o;
    });
  };
  await runBatch(1, opts.decode_prompt_tokens, opts.decode_tokens);

  const points: ProfilePoint[] = [];
  for (const len of opts.prompt_lengths) {
    const samples: number[] = [];
    for (let r = 0; r < opts.repeats; r++) {
      const [o] = await runBatch(1, len, 1);
      samples.push(o.ttft_ms - o.queue_ms);
    }
    points.push({ kind: 'prefill', x: len, ms: median(samples), fit_ms: 0, ape_pct: 0, samples });
    progress(`prefill ${len} tokens: ${median(samples).toFixed(2)} ms`);
  }
  for (let n = 1; n <= opts.max_seqs; n++) {
    const samples: number[] = [];
    for (let r = 0; r < opts.repeats; r++) {
      const outs = await runBatch(n, opts.decode_prompt_tokens, opts.decode_tokens + 1);
      samples.push(median(outs.map((o) => (o.e2e_ms - o.ttft_ms) / opts.decode_tokens)));
    }
    points.push({ kind: 'decode', x: n, ms: median(samples), fit_ms: 0, ape_pct: 0, samples });
    progress(`decode step with ${n} running: ${median(samples).toFixed(3)} ms`);
  }
  return points;
}

/** Fit both lines to measured points and fill each point's fit_ms and ape_pct. */
export function fitProfile(model: string, device: string, points: ProfilePoint[]): ProfileFile {
  const pre = points.filter((p) => p.kind === 'prefill');
  const dec = points.filter((p) => p.kind === 'decode');
  const pf = fitLine(
    pre.map((p) => p.x),
    pre.map((p) => p.ms),
  );
  const df = fitLine(
    dec.map((p) => p.x),
    dec.map((p) => p.ms),
  );
  pre.forEach((p, i) => {
    p.fit_ms = pf.intercept + pf.slope * p.x;
    p.ape_pct = pf.ape_pct[i];
  });
  dec.forEach((p, i) => {
    p.fit_ms = df.intercept + df.slope * p.x;
    p.ape_pct = df.ape_pct[i];
  });
  return {
    model,
    device,
    prefill_base_ms: pf.intercept,
    prefill_ms_per_token: pf.slope,
    decode_base_ms: df.intercept,
    decode_per_seq_ms: df.slope,
    fit: { prefill: pf.quality, decode: df.quality },
    points,
  };
}
