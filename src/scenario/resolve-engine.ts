/**
 * The files an `engine:` block names (resolve.ts's part for serving engines): the model's config.json, the
 * GPU datasheet when `gpu:` is not a built-in name, and the coefficients file (or shipped profile), each resolved against the
 * scenario's folder and read once. A file that cannot be used is an issue at the key that names it, with
 * the file's path and the field at fault.
 */

import { type CoefficientsFile, readCoefficientsFile } from '../backends/sim/vllm/coefficients.js';
import { BUILT_IN_GPUS, readGpu } from '../backends/sim/vllm/gpu.js';
import type { Read } from '../backends/sim/vllm/json-file.js';
import { readModelConfig } from '../backends/sim/vllm/model-config.js';
import { BUILT_IN_PROFILES, isBuiltInProfile, readBuiltInProfile } from '../backends/sim/vllm/profiles.js';
import type { GpuSpec, ModelArch } from '../core/engine-spec.js';
import { DEFAULT_ENGINE_GPU } from '../core/engine-spec.js';
import type { DataPath } from './positions.js';
import type { RawEngine } from './schema.js';
import type { RawIssue } from './zod-issues.js';

/** What the engine blocks' files hold, by absolute path (GPUs: by built-in name or absolute path). */
export interface EngineFiles {
  modelConfigs: Map<string, ModelArch>;
  gpus: Map<string, GpuSpec>;
  coefficients: Map<string, CoefficientsFile>;
}

export function emptyEngineFiles(): EngineFiles {
  return { modelConfigs: new Map(), gpus: new Map(), coefficients: new Map() };
}

/** The key a GPU value is stored under: the built-in name as is, else the absolute path of the file. */
export function gpuKey(gpu: string | undefined, abs: (p: string) => string): string {
  const g = gpu ?? DEFAULT_ENGINE_GPU;
  return BUILT_IN_GPUS.includes(g) ? g : abs(g);
}

/** The key a coefficients value is stored under: a shipped profile's name as is, else the file's absolute path. */
export function coefficientsKey(value: string, abs: (p: string) => string): string {
  return isBuiltInProfile(value) ? value : abs(value);
}

/** Reads the files of one engine block at `at` (['models', i, 'engine']) into `files`. */
export function resolveEngine(
  e: RawEngine,
  at: DataPath,
  abs: (p: string) => string,
  files: EngineFiles,
  issues: RawIssue[],
): void {
  const config = abs(e.model_config);
  if (!files.modelConfigs.has(config))
    take(readModelConfig(config), config, 'model config', [...at, 'model_config'], issues, (v) =>
      files.modelConfigs.set(config, v),
    );
  const gpu = gpuKey(e.gpu, abs);
  if (!files.gpus.has(gpu)) {
    const r = readGpu(gpu);
    if (!r.ok && r.problems[0] === 'not found')
      issues.push({
        path: [...at, 'gpu'],
        message: `GPU spec ${gpu}: not a built-in GPU (${BUILT_IN_GPUS.join(', ')}) and no such file`,
      });
    else take(r, gpu, 'GPU spec', [...at, 'gpu'], issues, (v) => files.gpus.set(gpu, v));
  }
  if (e.coefficients !== undefined) {
    const key = coefficientsKey(e.coefficients, abs);
    if (!files.coefficients.has(key)) {
      const r = isBuiltInProfile(key) ? readBuiltInProfile(key) : readCoefficientsFile(key);
      if (!r.ok && r.problems[0] === 'not found')
        issues.push({
          path: [...at, 'coefficients'],
          message: `coefficients ${key}: not a shipped profile (${BUILT_IN_PROFILES.join(', ')}) and no such file`,
        });
      else
        take(r, key, 'coefficients file', [...at, 'coefficients'], issues, (v) =>
          files.coefficients.set(key, v),
        );
    }
  }
}

function take<T>(
  r: Read<T>,
  path: string,
  what: string,
  at: DataPath,
  issues: RawIssue[],
  keep: (v: T) => void,
): void {
  if (r.ok) keep(r.value);
  else for (const p of r.problems) issues.push({ path: at, message: `${what} ${path}: ${p}` });
}
