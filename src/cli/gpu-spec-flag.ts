/**
 * `--gpu` of the commands that simulate a vLLM engine (import inference-perf, fidelity --benchmark): a
 * built-in GPU or a datasheet JSON file, checked before anything runs or is written.
 */
import { UserError } from '../core/errors.js';

/**
 * Throws UserError (exit 2) naming the flag when `gpu` is neither a built-in GPU nor a readable datasheet:
 * `import --gpu a100` once wrote `gpu: a100` into a scenario that did not load, and exited 0.
 */
export async function checkGpuSpecFlag(gpu: string): Promise<void> {
  const { BUILT_IN_GPUS, readGpu } = await import('../backends/sim/vllm/gpu.js');
  const spec = readGpu(gpu);
  if (spec.ok) return;
  const { closest } = await import('../scenario/suggest.js');
  const near = closest(gpu, BUILT_IN_GPUS);
  throw new UserError(
    `--gpu ${gpu}: not a built-in GPU (${BUILT_IN_GPUS.join(', ')}) nor a usable datasheet file (${spec.problems.join('; ')})${near ? `; did you mean ${near}?` : ''}`,
  );
}
