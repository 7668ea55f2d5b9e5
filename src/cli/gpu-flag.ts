/** `--gpu` of calibrate, fidelity and run --live. */
import type { GpuChoice } from '../backends/gguf/runtime.js';
import { UserError } from '../core/errors.js';
import { GGUF_GPUS } from '../core/types.js';

/** `auto | cuda | vulkan | false` (also `cpu`, `off`) from the command line; UserError on anything else. */
export function parseGpu(text: string): GpuChoice {
  if (text === 'false' || text === 'cpu' || text === 'off') return false;
  const gpu = GGUF_GPUS.find((g) => g === text);
  if (gpu !== undefined) return gpu;
  throw new UserError(`--gpu must be ${GGUF_GPUS.join(', ')} or false, got '${text}'`);
}

/** --gpu for live runs: undefined keeps each model's `gpu:`. */
export function parseGpuOption(text: string | undefined): GpuChoice | undefined {
  return text === undefined ? undefined : parseGpu(text);
}
