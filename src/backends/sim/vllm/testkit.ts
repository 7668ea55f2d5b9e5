/**
 * The serving-engine spec the vLLM engine's tests and bench/vllm-engine.bench.ts simulate (not exported
 * from index.ts): Llama-2-7B (the shipped config.json) on one H100 SXM, with the server arguments of the
 * measured runs, the physics coefficients and 7,417 KV blocks (what kvBlocksFromMemory gives for it).
 * One source, so the unit tests and the bench check and time the same engine.
 */
import { resolve } from 'node:path';
import type { EngineSpec } from '../../../core/engine-spec.js';
import { PHYSICS_DEFAULTS } from './coefficients.js';
import { builtInGpu } from './gpu.js';
import { readModelConfig } from './model-config.js';

const LLAMA_7B_CONFIG = resolve(
  import.meta.dirname,
  '../../../../data/vllm-h100/models/Llama-2-7b-hf/config.json',
);

/** The Llama-2-7B engine, with `over` on top. */
export function llama7bEngine(over: Partial<EngineSpec> = {}): EngineSpec {
  const arch = readModelConfig(LLAMA_7B_CONFIG);
  if (!arch.ok) throw new Error(arch.problems.join('; '));
  return {
    kind: 'vllm',
    model_config: LLAMA_7B_CONFIG,
    arch: arch.value,
    gpu: 'h100-sxm',
    gpu_spec: builtInGpu('h100-sxm')!,
    tp: 1,
    max_num_seqs: 128,
    max_num_batched_tokens: 2048,
    max_model_len: 4096,
    gpu_memory_utilization: 0.9,
    block_size: 16,
    prefix_caching: true,
    kv_blocks: 7417,
    coefficients_path: null,
    coefficients: { ...PHYSICS_DEFAULTS },
    ...over,
  };
}
