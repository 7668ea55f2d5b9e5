/**
 * The serving-engine model's data, as the loader hands it to the backend (`engine:` of a model entry,
 * README "Serving engine"): the model architecture read from a Hugging Face config.json, the GPU spec, the
 * vLLM server settings and the step-time coefficients. Plain data, every file already read; the engine
 * itself is backends/sim/vllm/. Times are milliseconds.
 */

export const ENGINE_KINDS = ['vllm'] as const;

/** What the step-time physics needs of a model (backends/sim/vllm/model-config.ts reads it). */
export interface ModelArch {
  /** The config's name (its folder), e.g. "Llama-2-7b-hf". */
  name: string;
  layers: number;
  hidden: number;
  heads: number;
  kv_heads: number;
  head_dim: number;
  /** Feed-forward width of one expert (of the dense MLP when experts = 1). */
  intermediate: number;
  /** Experts per MoE layer; 1 = dense. */
  experts: number;
  /** Experts each token is routed to (1 for dense). */
  experts_per_token: number;
  vocab: number;
  /** Bytes per weight and per KV element (bf16/fp16 2, fp32 4, fp8 1). */
  dtype_bytes: number;
  /** The config's dtype name, e.g. "bfloat16" (picks the GPU's TFLOP/s figure). */
  dtype: string;
  tie_embeddings: boolean;
  max_position_embeddings: number;
}

/** A GPU as the physics reads it: dense tensor TFLOP/s by dtype (datasheet sparsity already halved). */
export interface GpuSpec {
  name: string;
  /** Dense tensor-core TFLOP/s by dtype name (bfloat16, float16, float8, float32). */
  dense_tflops: Record<string, number>;
  memory_gib: number;
  bandwidth_tb_s: number;
  nvlink_gb_s: number;
}

/**
 * The few dimensionless corrections and overheads that turn the roofline into a step time (fitted by
 * `calibrate --benchmark`; backends/sim/vllm/coefficients.ts holds their defaults and bounds).
 */
export interface VllmCoefficients {
  /** Achieved / dense peak tensor FLOP/s of the step's matrix products and attention. */
  compute_efficiency: number;
  /** Achieved / peak HBM bandwidth when reading weights and KV. */
  memory_efficiency: number;
  /** Fixed time of every engine step: scheduling, kernel launches, sampling (ms). */
  step_overhead_ms: number;
  /** Extra step time per sequence in the batch: input prep, sampling, detokenization (ms). */
  seq_overhead_ms: number;
  /** Fixed latency of one tensor-parallel all-reduce (two per layer; tp > 1 only), microseconds. */
  allreduce_us: number;
  /**
   * GPU time per layer of every step beyond the roofline (µs): a layer runs ~10 small kernels (norms,
   * rotary, activation, residual adds) each with a floor of a few µs however small the batch.
   */
  layer_overhead_us: number;
  /** Client to engine: HTTP, tokenization, queue admission, before the request can be scheduled (ms). */
  api_overhead_ms: number;
  /**
   * Extra latency of a request's first token when tp > 1 (ms): vLLM v1 runs tp > 1 through its
   * multiprocess executor, which broadcasts each step's scheduler output (a new request's prompt token
   * ids and block table with it) to the worker processes; only the first token is moved (TTFT), not the
   * step time nor the last token.
   */
  tp_first_token_ms: number;
}

/** One simulated vLLM server (a ModelSpec's `latency: { model: 'engine' }`). */
export interface EngineSpec {
  kind: (typeof ENGINE_KINDS)[number];
  /** Absolute path of the config.json read (for the report). */
  model_config: string;
  arch: ModelArch;
  /** The built-in GPU name or the absolute path of the spec file. */
  gpu: string;
  gpu_spec: GpuSpec;
  tp: number;
  max_num_seqs: number;
  max_num_batched_tokens: number;
  max_model_len: number;
  gpu_memory_utilization: number;
  block_size: number;
  prefix_caching: boolean;
  /** KV blocks the server has: as given (kv_blocks / num_gpu_blocks), else from GPU memory and the config. */
  kv_blocks: number;
  /** Absolute path of the coefficients file, or null for the physics defaults. */
  coefficients_path: string | null;
  coefficients: VllmCoefficients;
}

/** vLLM's own defaults for the keys a scenario leaves out (its generic online-serving settings). */
export const DEFAULT_ENGINE_GPU = 'h100-sxm';
export const DEFAULT_TP = 1;
export const DEFAULT_MAX_NUM_SEQS = 256;
export const DEFAULT_MAX_NUM_BATCHED_TOKENS = 2048;
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;
export const DEFAULT_KV_BLOCK_SIZE = 16;
export const DEFAULT_PREFIX_CACHING = true;
export const MAX_TP = 64;
export const MAX_KV_BLOCK_SIZE = 1024;
