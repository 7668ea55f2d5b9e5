/**
 * Sizes of a model on its GPUs: parameter counts, weight bytes, KV bytes per token, and the KV blocks a
 * vLLM server gets (num_gpu_blocks): per GPU, memory × gpu_memory_utilization − weights / tp −
 * ACTIVATION_RESERVE_GIB, over the KV bytes of one block on that GPU. Pure arithmetic over the config.
 */
import type { ModelArch } from '../../../core/engine-spec.js';

/**
 * Memory vLLM's profiling run sets aside per GPU besides weights and KV (peak activations of a
 * max_num_batched_tokens step, CUDA graphs, the allocator's slack): about 1.5 GiB on a 7B..70B model.
 */
const ACTIVATION_RESERVE_GIB = 1.5;
const GIB = 1024 ** 3;

/** Parameters of one attention block (q, k, v, o projections). */
export function attentionParams(a: ModelArch): number {
  return a.hidden * a.head_dim * (2 * a.heads + 2 * a.kv_heads);
}

/** Parameters of one expert's gated MLP (gate, up, down), or of the dense MLP. */
export function expertParams(a: ModelArch): number {
  return 3 * a.hidden * a.intermediate;
}

/** Parameters of one MoE router (0 for dense models). */
export function routerParams(a: ModelArch): number {
  return a.experts > 1 ? a.hidden * a.experts : 0;
}

/** Every weight of the model, embeddings and the LM head included (norms are negligible and left out). */
export function totalParams(a: ModelArch): number {
  const perLayer = attentionParams(a) + a.experts * expertParams(a) + routerParams(a);
  return a.layers * perLayer + a.vocab * a.hidden * (a.tie_embeddings ? 1 : 2);
}

export function weightBytes(a: ModelArch): number {
  return totalParams(a) * a.dtype_bytes;
}

/** KV cache bytes of one token over all layers and heads (K and V), the whole model (all GPUs). */
export function kvBytesPerToken(a: ModelArch): number {
  return 2 * a.layers * a.kv_heads * a.head_dim * a.dtype_bytes;
}

/** KV heads each GPU holds under tensor parallelism (replicated when there are fewer heads than GPUs). */
function kvHeadsPerGpu(a: ModelArch, tp: number): number {
  return Math.max(1, a.kv_heads / tp);
}

/** KV bytes of one token on one GPU. */
export function kvBytesPerTokenPerGpu(a: ModelArch, tp: number): number {
  return 2 * a.layers * kvHeadsPerGpu(a, tp) * a.head_dim * a.dtype_bytes;
}

/**
 * KV blocks of `blockSize` tokens the server holds, from memory (floor; may be <= 0 when the weights do not
 * fit, which the loader reports).
 */
export function kvBlocksFromMemory(
  a: ModelArch,
  memoryGib: number,
  tp: number,
  utilization: number,
  blockSize: number,
): number {
  const free = memoryGib * GIB * utilization - weightBytes(a) / tp - ACTIVATION_RESERVE_GIB * GIB;
  return Math.floor(free / (blockSize * kvBytesPerTokenPerGpu(a, tp)));
}
