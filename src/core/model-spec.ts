/**
 * Every default of a model entry, and `defaultModelSpec`: the one complete ModelSpec that the loader,
 * discovery and calibration start from (each then overrides what it knows). Times are milliseconds.
 */
import type { CacheModel, LatencyModel, ModelSpec, QuotaSpec } from './types.js';

export const DEFAULT_BACKEND = 'sim' as const;
export const DEFAULT_MAX_CONCURRENCY = 16;
export const DEFAULT_MAX_QUEUE = 256;
export const DEFAULT_HEALTH = 'healthy' as const;
export const DEFAULT_FAILURE_RATE = 0;
export const DEFAULT_WEIGHT = 1;
export const DEFAULT_COST_PER_1K_TOKENS = 0;
/** No limit: the context-length filter never excludes the model. */
export const DEFAULT_CONTEXT_LENGTH = Number.POSITIVE_INFINITY;
export const DEFAULT_LATENCY: Readonly<LatencyModel> = Object.freeze<LatencyModel>({
  model: 'ttft_tpot',
  ttft: { dist: 'fixed', value: 200 },
  tpot: { dist: 'fixed', value: 20 },
});
/** Continuous batching: step time = decode_step_ms * (1 + slowdown * (running - 1)). */
export const DEFAULT_BATCH_SLOWDOWN = 0.1;
/** `max_batch` defaults to the model's max_concurrency. */
export const DEFAULT_CACHE: Readonly<CacheModel> = Object.freeze<CacheModel>({ kind: 'none' });
export const DEFAULT_BLOCK_TOKENS = 16;
export const DEFAULT_QUOTA: Readonly<QuotaSpec> = Object.freeze({
  tokens_per_minute: Number.POSITIVE_INFINITY,
  requests_per_minute: Number.POSITIVE_INFINITY,
  initial_used: 0,
});
export const DEFAULT_GGUF_GPU = 'auto' as const;
/** Context size of a gguf model when neither context_size nor a finite context_length is given. */
export const DEFAULT_GGUF_CONTEXT_SIZE = 4096;

export const DEFAULT_OPENAI_API = 'chat' as const;
/** An openai attempt still running after this long is a timeout. */
export const DEFAULT_OPENAI_TIMEOUT_MS = 60_000;
export const DEFAULT_OPENAI_IGNORE_EOS = true;

/** A complete simulated model entry with every default, then `overrides` on top. */
export function defaultModelSpec(id: string, overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    id,
    backend: DEFAULT_BACKEND,
    max_concurrency: DEFAULT_MAX_CONCURRENCY,
    max_queue: DEFAULT_MAX_QUEUE,
    latency: structuredClone(DEFAULT_LATENCY) as LatencyModel,
    cache: { ...DEFAULT_CACHE },
    quota: null,
    health: DEFAULT_HEALTH,
    failure_rate: DEFAULT_FAILURE_RATE,
    weight: DEFAULT_WEIGHT,
    cost_per_1k_tokens: DEFAULT_COST_PER_1K_TOKENS,
    context_length: DEFAULT_CONTEXT_LENGTH,
    capabilities: [],
    gguf: null,
    ...overrides,
  };
}
