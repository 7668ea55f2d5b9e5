/**
 * The coefficient profiles routesim ships (profiles/*.json, each `calibrate --benchmark` of a data set in
 * data/), by name: `engine: { coefficients: h100-vllm }` reads the H100 fit of data/vllm-h100/ without a
 * path, and `import inference-perf` / `fidelity --benchmark` use the profile fitted on the experiment's
 * GPU when nothing else is given.
 */
import { join } from 'node:path';
import { packageRoot } from '../../../core/package-root.js';
import { type CoefficientsFile, readCoefficientsFile } from './coefficients.js';
import type { Read } from './json-file.js';

/** Shipped profile name -> the GPU (spec `name`) it was fitted on. */
const PROFILES: Readonly<Record<string, string>> = Object.freeze({ 'h100-vllm': 'H100 SXM' });

export const BUILT_IN_PROFILES: readonly string[] = Object.keys(PROFILES);

/** Whether a `coefficients:` value names a shipped profile (else it is a file path). */
export function isBuiltInProfile(value: string): boolean {
  return Object.hasOwn(PROFILES, value);
}

/** The absolute path of a shipped profile's file. */
function builtInProfilePath(name: string): string {
  return join(packageRoot(), 'profiles', `${name}.json`);
}

/** A shipped profile's coefficients file. */
export function readBuiltInProfile(name: string): Read<CoefficientsFile> {
  return readCoefficientsFile(builtInProfilePath(name));
}

/** The shipped profile fitted on the GPU whose spec is named `gpuName` ("H100 SXM"), if any. */
export function profileForGpu(gpuName: string): string | undefined {
  return BUILT_IN_PROFILES.find((p) => PROFILES[p] === gpuName);
}
