/**
 * An `engine:` block + what its files hold -> the EngineSpec of the model's `latency: { model: 'engine' }`:
 * defaults filled (core/engine-spec.ts), the KV block count worked out when not given, and the problems a
 * server would refuse to start with (weights that do not fit, a max_model_len the KV cache cannot hold)
 * reported as issues at the keys concerned. Pure: the files were read by resolve-engine.ts.
 */

import { kvBlocksFromMemory, weightBytes } from '../backends/sim/vllm/capacity.js';
import { coefficientsFor, PHYSICS_DEFAULTS } from '../backends/sim/vllm/coefficients.js';
import * as E from '../core/engine-spec.js';
import type { DataPath } from './positions.js';
import { coefficientsKey, type EngineFiles, gpuKey } from './resolve-engine.js';
import type { RawEngine } from './schema.js';
import type { RawIssue } from './zod-issues.js';

/** The EngineSpec, or null when its files were not read (resolve recorded why) or it cannot serve. */
export function toEngine(
  e: RawEngine,
  at: DataPath,
  abs: (p: string) => string,
  files: EngineFiles,
  issues: RawIssue[],
): E.EngineSpec | null {
  const configPath = abs(e.model_config);
  const arch = files.modelConfigs.get(configPath);
  const gpu = gpuKey(e.gpu, abs);
  const gpuSpec = files.gpus.get(gpu);
  const coefPath = e.coefficients === undefined ? null : coefficientsKey(e.coefficients, abs);
  const coefFile = coefPath === null ? undefined : files.coefficients.get(coefPath);
  if (arch === undefined || gpuSpec === undefined || (coefPath !== null && coefFile === undefined))
    return null;
  const tp = e.tp ?? E.DEFAULT_TP;
  const util = e.gpu_memory_utilization ?? E.DEFAULT_GPU_MEMORY_UTILIZATION;
  const blockSize = e.block_size ?? E.DEFAULT_KV_BLOCK_SIZE;
  const maxModelLen = e.max_model_len ?? arch.max_position_embeddings;
  const given = e.kv_blocks ?? e.num_gpu_blocks ?? null;
  const blocks = given ?? kvBlocksFromMemory(arch, gpuSpec.memory_gib, tp, util, blockSize);
  if (given === null && blocks < 1) {
    const perGpu = weightBytes(arch) / tp / 1024 ** 3;
    issues.push({
      path: e.tp === undefined ? at : [...at, 'tp'],
      message: `${arch.name} does not fit: ${perGpu.toFixed(1)} GiB of weights per GPU against ${gpuSpec.memory_gib} GiB × ${util} on ${gpuSpec.name}; use more GPUs (tp) or a higher gpu_memory_utilization`,
    });
    return null;
  }
  if (blocks * blockSize < maxModelLen) {
    issues.push({
      path: [
        ...at,
        given === null ? 'max_model_len' : e.kv_blocks !== undefined ? 'kv_blocks' : 'num_gpu_blocks',
      ],
      message: `the KV cache holds ${blocks * blockSize} tokens (${blocks} blocks of ${blockSize}), fewer than max_model_len ${maxModelLen}: vLLM would refuse to start; lower max_model_len or give the engine more memory`,
    });
    return null;
  }
  return {
    kind: e.kind ?? 'vllm',
    model_config: configPath,
    arch,
    gpu,
    gpu_spec: gpuSpec,
    tp,
    max_num_seqs: e.max_num_seqs ?? E.DEFAULT_MAX_NUM_SEQS,
    max_num_batched_tokens: e.max_num_batched_tokens ?? E.DEFAULT_MAX_NUM_BATCHED_TOKENS,
    max_model_len: maxModelLen,
    gpu_memory_utilization: util,
    block_size: blockSize,
    prefix_caching: e.prefix_caching ?? E.DEFAULT_PREFIX_CACHING,
    kv_blocks: blocks,
    coefficients_path: coefPath,
    coefficients: coefFile ? coefficientsFor(coefFile, arch.name) : { ...PHYSICS_DEFAULTS },
  };
}
