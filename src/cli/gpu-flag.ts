/** `--gpu` of calibrate, fidelity and run --live. */
import type { GpuChoice } from '../backends/gguf/runtime.js';
import { UserError } from '../core/errors.js';

/** `auto | cuda | vulkan | false` (also `cpu`, `off`) from the command line; UserError on anything else. */
export function parseGpu(text: string): GpuChoice {
  if (text === 'false' || text === 'cpu' || text === 'off') return false;
  if (text === 'auto' || text === 'cuda' || text === 'vulkan') return text;
  throw new UserError(`--gpu must be auto, cuda, vulkan or false, got '${text}'`);
}

/** --gpu for live runs: undefined keeps each model's `gpu:`. */
export function parseGpuOption(text: string | undefined): GpuChoice | undefined {
  return text === undefined ? undefined : parseGpu(text);
}
