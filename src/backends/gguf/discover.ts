/**
 * Discovery: read GGUF files' metadata through node-llama-cpp's readGgufFileInfo (no weights are loaded,
 * no native code runs) and turn each into a registry entry. Every failure names the file and says what is
 * wrong in one line: missing file, not a GGUF file (bad magic), truncated header or data, unsupported
 * architecture. Reading is bounded by a timeout, so a strange file cannot hang discovery.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { type Problem, UserError } from '../../core/errors.js';
import { DEFAULT_GGUF_CONTEXT_SIZE, defaultModelSpec } from '../../core/model-spec.js';
import type { LatencyModel, ModelSpec } from '../../core/types.js';
import { checkGgufFile, ggmlBytes } from './header.js';
import { profilePathFor, tryLoadProfile } from './profile.js';
import { errorMessage, loadNodeLlamaCpp, withTimeout } from './runtime.js';

/** What discovery learns about one model file. */
export interface GgufModelInfo {
  /** Registry id: the file name without `.gguf`, lower-cased, unsafe characters as '-'. */
  id: string;
  /** Absolute path. */
  path: string;
  name: string | null;
  architecture: string;
  /** Sum of the tensors' element counts. */
  parameters: number;
  /** e.g. F32, F16, Q4_K_M (from general.file_type, else the dominant tensor type). */
  quantization: string;
  /** Trained context length (tokens), or null when the file does not say. */
  context_length: number | null;
  layers: number | null;
  embedding_length: number | null;
  vocab_size: number | null;
  size_bytes: number;
  tensors: number;
  gguf_version: number;
}

/** A gguf model's serving defaults when a scenario pulls a folder in (a CPU-sized llama.cpp server). */
const DISCOVER_DEFAULT_MAX_CONCURRENCY = 4;
const DISCOVER_DEFAULT_MAX_QUEUE = 64;
/** How long reading one file's header may take before it is reported as unreadable. */
const INSPECT_TIMEOUT_MS = 15_000;

function problem(file: string, message: string): UserError {
  return new UserError(`${file}: ${message}`, [{ file, line: 0, column: 0, message }]);
}

/** A registry id from a file name. */
export function modelIdFromPath(path: string): string {
  const stem = basename(path, extname(path)).toLowerCase();
  return stem.replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;

/**
 * Read one GGUF file's metadata. Throws UserError (naming the file) when it is missing, not GGUF, truncated,
 * unreadable or of an architecture llama.cpp does not know.
 */
export async function inspectGguf(file: string): Promise<GgufModelInfo> {
  const path = resolve(file);
  // The structural checks (magic, version, counts, truncation) are the cheap reader's, shared with the
  // scenario loader; node-llama-cpp then reads the metadata of a file that passed them.
  const checked = checkGgufFile(path);
  if (!checked.ok) throw problem(file, checked.problem);
  const st = statSync(path);
  const nlc = await loadNodeLlamaCpp();
  const abort = new AbortController();
  let info: Awaited<ReturnType<typeof nlc.readGgufFileInfo>>;
  try {
    info = await withTimeout(
      nlc.readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false, signal: abort.signal }),
      INSPECT_TIMEOUT_MS,
      'reading the header',
      () => abort.abort(),
    );
  } catch (err) {
    if (/invalid gguf magic/i.test(errorMessage(err))) throw problem(file, 'not a GGUF file (bad magic)');
    throw problem(file, `truncated or corrupt header (${errorMessage(err)})`);
  }
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  let parameters = 0;
  const bytesByType = new Map<number, number>();
  for (const t of tensors) {
    const count = t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
    parameters += count;
    const bytes = ggmlBytes(t.ggmlType, count);
    if (bytes !== null) bytesByType.set(t.ggmlType, (bytesByType.get(t.ggmlType) ?? 0) + bytes);
  }

  const general = (info.metadata as { general?: Record<string, unknown> }).general ?? {};
  const architecture = typeof general.architecture === 'string' ? general.architecture : '';
  if (!architecture) throw problem(file, 'no general.architecture in the metadata (corrupt header?)');
  const known = new Set(
    Object.values((nlc as unknown as { GgufArchitectureType: Record<string, string> }).GgufArchitectureType),
  );
  if (!known.has(architecture)) {
    throw problem(
      file,
      `unsupported architecture '${architecture}' (llama.cpp knows llama, qwen2, mistral, gemma, phi3, ...)`,
    );
  }

  const arch = info.architectureMetadata as Record<string, unknown>;
  const fileTypeNames = (nlc as unknown as { GgufFileType: Record<number, string> }).GgufFileType;
  const ggmlNames = (nlc as unknown as { GgmlType: Record<number, string> }).GgmlType;
  const ft = num(general.file_type);
  let quantization = ft !== null && fileTypeNames[ft] ? fileTypeNames[ft].replace(/^(ALL|MOSTLY)_/, '') : '';
  if (!quantization) {
    const dominant = [...bytesByType.entries()].sort((a, b) => b[1] - a[1])[0];
    quantization = dominant ? (ggmlNames[dominant[0]] ?? `type ${dominant[0]}`) : 'unknown';
  }
  const tokenizer = (info.metadata as unknown as { tokenizer?: { ggml?: { tokens?: unknown[] } } }).tokenizer;
  return {
    id: modelIdFromPath(path),
    path,
    name: typeof general.name === 'string' ? general.name : null,
    architecture,
    parameters,
    quantization,
    context_length: num(arch.context_length),
    layers: num(arch.block_count),
    embedding_length: num(arch.embedding_length),
    vocab_size: num(arch.vocab_size) ?? tokenizer?.ggml?.tokens?.length ?? null,
    size_bytes: st.size,
    tensors: tensors.length,
    gguf_version: info.version,
  };
}

export interface DiscoverResult {
  models: GgufModelInfo[];
  /** One per file that could not be read; discovery goes on past them. */
  problems: Problem[];
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.toLowerCase().endsWith('.gguf')) out.push(p);
  }
}

/**
 * Every `.gguf` file under `dir` (recursively, sorted by path), inspected. Ids are made unique by a numeric
 * suffix. Throws UserError only when `dir` itself is missing or not a folder.
 */
export async function discoverGguf(dir: string): Promise<DiscoverResult> {
  if (!existsSync(dir)) throw problem(dir, 'folder not found');
  if (!statSync(dir).isDirectory())
    throw problem(dir, 'not a folder (discover reads a folder of .gguf files)');
  const files: string[] = [];
  walk(dir, files);
  const models: GgufModelInfo[] = [];
  const problems: Problem[] = [];
  const ids = new Set<string>();
  for (const f of files) {
    try {
      const m = await inspectGguf(f);
      let id = m.id;
      for (let k = 2; ids.has(id); k++) id = `${m.id}-${k}`;
      ids.add(id);
      models.push({ ...m, id });
    } catch (err) {
      if (err instanceof UserError && err.problems.length > 0) problems.push(...err.problems);
      else problems.push({ file: f, line: 0, column: 0, message: errorMessage(err) });
    }
  }
  return { models, problems };
}

/** Placeholder latency of a gguf model without a calibrated profile: the simulator never uses it for gguf. */
const UNCALIBRATED: LatencyModel = {
  model: 'ttft_tpot',
  ttft: { dist: 'fixed', value: 0 },
  tpot: { dist: 'fixed', value: 0 },
};

/**
 * A registry entry (ModelSpec, backend 'gguf') for a discovered model. The latency is the profile written
 * by `routesim calibrate` beside the model (MODEL.profile.json) when there is one. `overrides` win.
 */
export function toModelSpec(info: GgufModelInfo, overrides: Partial<ModelSpec> = {}): ModelSpec {
  const contextLength = info.context_length ?? Number.POSITIVE_INFINITY;
  const contextSize = Math.min(info.context_length ?? DEFAULT_GGUF_CONTEXT_SIZE, DEFAULT_GGUF_CONTEXT_SIZE);
  const profile = tryLoadProfile(profilePathFor(info.path));
  return defaultModelSpec(info.id, {
    backend: 'gguf',
    max_concurrency: DISCOVER_DEFAULT_MAX_CONCURRENCY,
    max_queue: DISCOVER_DEFAULT_MAX_QUEUE,
    latency: profile ?? UNCALIBRATED,
    context_length: contextLength,
    gguf: { path: info.path, gpu: 'auto', context_size: contextSize },
    ...overrides,
  });
}

/**
 * A discovered model as a user writes it under a scenario's `models:` (backend gguf), with the serving
 * defaults `discover:` would give it. `path` is relative to `cwd` (the scenario loader resolves it against
 * the scenario's folder, so paste it into a scenario in `cwd`). A profile calibrated beside the model is
 * picked up by the loader, so no `latency:` is written.
 */
export interface ScenarioModelEntry {
  id: string;
  backend: 'gguf';
  path: string;
  context_length?: number;
  context_size: number;
  max_concurrency: number;
  max_queue: number;
}

export function toScenarioEntry(info: GgufModelInfo, cwd = process.cwd()): ScenarioModelEntry {
  return {
    id: info.id,
    backend: 'gguf',
    path: relative(cwd, info.path),
    ...(info.context_length !== null ? { context_length: info.context_length } : {}),
    context_size: Math.min(info.context_length ?? DEFAULT_GGUF_CONTEXT_SIZE, DEFAULT_GGUF_CONTEXT_SIZE),
    max_concurrency: DISCOVER_DEFAULT_MAX_CONCURRENCY,
    max_queue: DISCOVER_DEFAULT_MAX_QUEUE,
  };
}
