/**
 * The scenario's `discover: DIR`: every `.gguf` file under DIR (recursively, sorted by path) becomes a
 * `backend: gguf` model through discovery's own rules (toModelSpec: id from the file name, serving
 * defaults, latency from MODEL.profile.json beside it when calibrated). Loading stays synchronous and
 * free of node-llama-cpp: the files' metadata is not read here. The resolve step checks each file's
 * header structure (backends/gguf/header.ts) and marks a broken one unhealthy with a note; what only
 * llama.cpp knows (an unknown architecture) is found when a live run loads it, and routed around.
 *
 * Problems come back as issues at `at` (the `discover` key): a missing folder, a path that is not a
 * folder, an id that clashes with a `models:` entry or another discovered file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type GgufModelInfo, modelIdFromPath, toModelSpec } from '../backends/gguf/discover.js';
import type { ModelSpec } from '../core/types.js';
import type { DataPath } from './positions.js';
import type { RawIssue } from './zod-issues.js';

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.toLowerCase().endsWith('.gguf')) out.push(p);
  }
}

/** The models found in `dir` (absolute), checked against the `models:` ids; problems go to `issues`. */
export function discoverModels(
  dir: string,
  existingIds: readonly string[],
  at: DataPath,
  issues: RawIssue[],
): ModelSpec[] {
  if (!existsSync(dir)) {
    issues.push({ path: at, message: `folder not found: ${dir}` });
    return [];
  }
  if (!statSync(dir).isDirectory()) {
    issues.push({ path: at, message: `${dir} is not a folder (discover reads a folder of .gguf files)` });
    return [];
  }
  const files: string[] = [];
  walk(dir, files);
  const taken = new Map<string, string>(existingIds.map((id) => [id, 'models:']));
  const out: ModelSpec[] = [];
  for (const path of files) {
    const id = modelIdFromPath(path);
    const prior = taken.get(id);
    if (prior !== undefined) {
      issues.push({
        path: at,
        message: `${path} would be model \`${id}\`, which ${prior === 'models:' ? 'is already under `models:`' : `is also ${prior}`}`,
        suggestion: 'rename the file, or the model under `models:`',
      });
      continue;
    }
    taken.set(id, path);
    out.push(toModelSpec(stubInfo(id, path)));
  }
  return out;
}

/** What toModelSpec needs, without reading the header (unknowns null: the backend reads it at load). */
function stubInfo(id: string, path: string): GgufModelInfo {
  return {
    id,
    path,
    name: null,
    architecture: 'unknown',
    parameters: 0,
    quantization: 'unknown',
    context_length: null,
    layers: null,
    embedding_length: null,
    vocab_size: null,
    size_bytes: statSync(path).size,
    tensors: 0,
    gguf_version: 0,
  };
}
