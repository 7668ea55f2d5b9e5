/**
 * The loader's one step that touches the file system. Every file a validated scenario names (gguf model
 * files and the profiles calibrated beside them, `latency: { profile }`, empirical samples files, traces,
 * the `discover:` folder, an inference-perf profile) is resolved against the scenario's folder and read here, once, so that the
 * conversion that follows (transform.ts) is pure. A file that cannot be used is an issue at the key that
 * names it; a gguf model file that is missing or fails the cheap header check (backends/gguf/header.ts:
 * empty, not GGUF, truncated, corrupt counts) is a warning, and the model then starts unhealthy with the
 * reason as its load_problem, as a live run would find it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { checkGgufFile } from '../backends/gguf/header.js';
import { type ProfileLatency, profilePathFor, readProfile } from '../backends/gguf/profile.js';
import { formatProblem, UserError } from '../core/errors.js';
import { DEFAULT_BACKEND } from '../core/model-spec.js';
import { type InferencePerfProfile, type ModelSpec, TRACE_FORMATS } from '../core/types.js';
import { readInferencePerfProfile } from '../traffic/inference-perf/profile.js';
import { detectFormat, type TraceFormat, UNKNOWN_FORMAT } from '../traffic/traces/formats.js';
import { discoverModels } from './discover-models.js';
import type { DataPath } from './positions.js';
import { type EngineFiles, emptyEngineFiles, resolveEngine } from './resolve-engine.js';
import type { RawModel, RawScenario, RawTrafficStream } from './schema.js';
import type { RawIssue } from './zod-issues.js';

/**
 * What the scenario's files hold, for the conversion to look up. A lookup that comes back empty had its
 * issue recorded by resolveFiles, so the load fails whatever the conversion makes of it.
 */
export interface ScenarioFiles {
  /** A path as written -> absolute, against the scenario's folder. */
  abs(path: string): string;
  /** gguf model files (absolute) that do not exist. */
  missingModels: ReadonlySet<string>;
  /**
   * gguf model files (absolute) that exist but cannot be loaded: the path as the scenario wrote it and
   * what is wrong with the file. markUnloadable turns each into the model's load_problem.
   */
  unloadableModels: ReadonlyMap<string, { shown: string; problem: string }>;
  /** Latency profiles read without problems, by absolute path. */
  profiles: ReadonlyMap<string, ProfileLatency>;
  /** The text of each samples file read, by absolute path. */
  samples: ReadonlyMap<string, string>;
  /** The format told from the file, for each trace (absolute path) that names none. */
  traceFormats: ReadonlyMap<string, TraceFormat>;
  /** The models `discover:` found, in path order. */
  discovered: ModelSpec[];
  /** inference-perf profiles read without problems, by absolute path. */
  inferencePerf: ReadonlyMap<string, InferencePerfProfile>;
  /** What the `engine:` blocks' files hold (resolve-engine.ts). */
  engine: EngineFiles;
}

interface Resolved {
  files: ScenarioFiles;
  issues: RawIssue[];
  warnings: RawIssue[];
}

/** ScenarioFiles while it is being filled. */
interface Reading {
  files: {
    abs: (path: string) => string;
    missingModels: Set<string>;
    unloadableModels: Map<string, { shown: string; problem: string }>;
    profiles: Map<string, ProfileLatency>;
    samples: Map<string, string>;
    traceFormats: Map<string, TraceFormat>;
    discovered: ModelSpec[];
    inferencePerf: Map<string, InferencePerfProfile>;
    engine: EngineFiles;
  };
  issues: RawIssue[];
  warnings: RawIssue[];
}

/** Reads what `raw` names, relative paths against `baseDir`. Never throws for a bad file. */
export function resolveFiles(raw: RawScenario, baseDir: string): Resolved {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const files: Reading['files'] = {
    abs,
    missingModels: new Set(),
    unloadableModels: new Map(),
    profiles: new Map(),
    samples: new Map(),
    traceFormats: new Map(),
    discovered: [],
    inferencePerf: new Map(),
    engine: emptyEngineFiles(),
  };
  const out: Reading = { files, issues: [], warnings: [] };
  const models = raw.models ?? [];
  for (const [i, m] of models.entries()) resolveModel(m, ['models', i], out);
  if (raw.discover !== undefined) {
    const ids = models.map((m) => m.id);
    const dir = abs(raw.discover);
    files.discovered = discoverModels(dir, ids, ['discover'], out.issues);
    for (const d of files.discovered) {
      const path = d.gguf?.path ?? '';
      checkModelFile(path, join(raw.discover, relative(dir, path)), ['discover'], out);
    }
  }
  const t = raw.traffic;
  if (t?.inference_perf !== undefined) readInferencePerf(files.abs(t.inference_perf), out);
  else if (t?.streams)
    for (const [i, s] of t.streams.entries()) resolveStream(s, ['traffic', 'streams', i], out);
  else if (t) resolveStream(t, ['traffic'], out);
  readSamplesFiles(models, ['models'], out);
  readSamplesFiles(t, ['traffic'], out);
  return out;
}

function resolveModel(m: RawModel, at: DataPath, r: Reading): void {
  const { files, warnings } = r;
  if (m.engine !== undefined) resolveEngine(m.engine, [...at, 'engine'], files.abs, files.engine, r.issues);
  if (m.latency?.profile !== undefined) {
    readLatencyProfile(files.abs(m.latency.profile), [...at, 'latency', 'profile'], r);
  }
  if ((m.backend ?? DEFAULT_BACKEND) !== 'gguf' || !m.path) return;
  const path = files.abs(m.path);
  if (!existsSync(path)) {
    files.missingModels.add(path);
    warnings.push({
      path: [...at, 'path'],
      message: `model file not found: ${path} (the model will be marked unhealthy)`,
    });
  } else {
    checkModelFile(path, m.path, [...at, 'path'], r);
  }
  // A gguf model without `latency:` is simulated from the profile calibrated beside it, when there is one.
  const beside = profilePathFor(path);
  if (!m.latency && existsSync(beside)) readLatencyProfile(beside, [...at, 'path'], r);
}

/** Records `path` (which exists) as unloadable, with a warning at `at`, when it fails the header check. */
function checkModelFile(path: string, shown: string, at: DataPath, { files, warnings }: Reading): void {
  const checked = checkGgufFile(path);
  if (checked.ok) return;
  files.unloadableModels.set(path, { shown, problem: checked.problem });
  warnings.push({
    path: at,
    message: `model file ${path} cannot be loaded: ${checked.problem} (the model will be marked unhealthy)`,
  });
}

/**
 * Marks each gguf model of `models` whose file `files` found unloadable: unhealthy from the start, never
 * sent traffic, with the reason as its load_problem (the report's notes). Run on the converted scenario.
 */
export function markUnloadable(models: ModelSpec[], files: ScenarioFiles): void {
  for (const m of models) {
    const bad = m.gguf ? files.unloadableModels.get(m.gguf.path) : undefined;
    if (!bad) continue;
    m.health = 'unhealthy';
    m.load_problem = `model file cannot be loaded: ${bad.shown}: ${bad.problem}; marked unhealthy, no traffic sent to it`;
  }
}

/** A calibration profile (JSON or YAML) with the four fitted coefficients, in ms. */
function readLatencyProfile(path: string, at: DataPath, { files, issues }: Reading): void {
  const read = readProfile(path, { yaml: true });
  if (read.ok) {
    files.profiles.set(path, read.latency);
  } else if ('error' in read) {
    const why = read.error.code === 'ENOENT' ? 'not found' : read.error.message.split('\n')[0];
    issues.push({
      path: at,
      message: `cannot read latency profile ${path}: ${why}`,
      suggestion: 'write one with `routesim calibrate MODEL.gguf`',
    });
  } else {
    for (const { key, value } of read.problems) {
      issues.push({
        path: at,
        message: `latency profile ${path}: \`${key}\` must be a number >= 0, got ${JSON.stringify(value)}`,
      });
    }
  }
}

function resolveStream(s: RawTrafficStream, at: DataPath, { files, issues }: Reading): void {
  if (s.trace === undefined) return;
  const path = files.abs(s.trace);
  const where = [...at, 'trace'];
  if (!existsSync(path)) {
    issues.push({ path: where, message: `trace file not found: ${path}` });
  } else if (statSync(path).isDirectory()) {
    // Caught here: the reader would otherwise fail mid-run with EISDIR and a stack trace.
    issues.push({ path: where, message: `trace is a folder, not a file: ${path}` });
  } else if (statSync(path).size === 0) {
    // An empty trace would replay no request, and every latency expectation would pass on zeros.
    issues.push({ path: where, message: `trace file is empty: ${path}` });
  } else if (s.format === undefined) {
    // No format named: tell it from the file's name and first line, as `trace stats` does.
    try {
      files.traceFormats.set(path, detectFormat(path));
    } catch (err) {
      // A JSONL file that looks like no known format is read as native (whose reader names bad rows).
      if (!/\.jsonl?$/i.test(path))
        issues.push({
          path: where,
          // In a scenario the advice is a key, not detectFormat's command-line flag.
          message: (err as Error).message.startsWith(UNKNOWN_FORMAT)
            ? UNKNOWN_FORMAT
            : (err as Error).message,
          suggestion: `add format: ${TRACE_FORMATS.join(' | ')}; csv also needs columns:`,
        });
    }
  }
}

/** An inference-perf profile; its problems (file:line:column in the profile) become issues at the key. */
function readInferencePerf(path: string, { files, issues }: Reading): void {
  try {
    files.inferencePerf.set(path, readInferencePerfProfile(path));
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const where = ['traffic', 'inference_perf'];
    if (err.problems.length === 0) issues.push({ path: where, message: err.message });
    for (const p of err.problems)
      issues.push({ path: where, message: `inference-perf profile: ${formatProblem(p)}` });
  }
}

/**
 * Reads the file of every `{ dist: empirical, file }` under `node` (models or traffic): validation has
 * left distributions only where the conversion reads them, so walking the tree finds exactly those.
 */
function readSamplesFiles(node: unknown, at: DataPath, r: Reading): void {
  if (typeof node !== 'object' || node === null) return;
  const rec = node as Record<string, unknown>;
  if (rec.dist === 'empirical' && typeof rec.file === 'string') {
    const path = r.files.abs(rec.file);
    try {
      r.files.samples.set(path, readFileSync(path, 'utf8'));
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
      r.issues.push({ path: [...at, 'file'], message: `cannot read samples file ${path}: ${why}` });
    }
    return;
  }
  for (const [k, v] of Object.entries(rec))
    readSamplesFiles(v, [...at, Array.isArray(node) ? Number(k) : k], r);
}
