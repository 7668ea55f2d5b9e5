/**
 * The latency profile file that `routesim calibrate` writes and a scenario's `latency: { profile: FILE }`
 * reads. The simulator uses it as a continuous-batching model (src/backends/sim/batch-model.ts):
 *   prefill (prompt → first token) = prefill_base_ms + prefill_ms_per_token × prompt tokens
 *   decode step (one token for each running sequence) = decode_base_ms + decode_per_seq_ms × running
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../core/errors.js';
import { type OutputOptions, writeFileAtomic } from '../../core/output/atomic-file.js';
import type { LatencyModel } from '../../core/types.js';

export type ProfileLatency = Extract<LatencyModel, { model: 'profile' }>;

/** Quality of one linear fit: R² and mean absolute percentage error over its points. */
export interface FitQuality {
  r2: number;
  /** Mean absolute percentage error, in percent. */
  mape_pct: number;
  max_ape_pct: number;
  points: number;
}

/** One measured point and what the fit predicts for it. */
export interface ProfilePoint {
  kind: 'prefill' | 'decode';
  /** prefill: prompt tokens; decode: running sequences. */
  x: number;
  /** Median measured time (ms). */
  ms: number;
  fit_ms: number;
  /** Absolute percentage error of the fit at this point. */
  ape_pct: number;
  /** Every repeat (ms), for the curious. */
  samples: number[];
}

export interface ProfileFile {
  /** Model file name (not a path: a profile travels with its model). */
  model: string;
  /** Where it was measured, e.g. "cpu (2 threads)" or "cuda: NVIDIA H100 80GB HBM3". */
  device: string;
  prefill_base_ms: number;
  prefill_ms_per_token: number;
  decode_base_ms: number;
  decode_per_seq_ms: number;
  fit: { prefill: FitQuality; decode: FitQuality };
  points: ProfilePoint[];
}

const COEFFICIENTS = [
  'prefill_base_ms',
  'prefill_ms_per_token',
  'decode_base_ms',
  'decode_per_seq_ms',
] as const;

/** The profile path calibrate writes by default and discovery looks for: MODEL.gguf → MODEL.profile.json. */
export function profilePathFor(modelPath: string): string {
  return modelPath.replace(/\.gguf$/i, '') + '.profile.json';
}

/** Write a profile as pretty JSON, atomically (parent folders created; see core/output for what is refused). */
export function writeProfile(path: string, profile: ProfileFile, opts: OutputOptions = {}): void {
  writeFileAtomic(path, `${JSON.stringify(profile, null, 2)}\n`, opts);
}

/** A coefficient that is not a finite number >= 0, and the value found (undefined: absent). */
interface ProfileProblem {
  key: (typeof COEFFICIENTS)[number];
  value: unknown;
}

/** What reading a profile file gave: the latency model, or why not. */
type ProfileRead =
  | { ok: true; latency: ProfileLatency }
  /** The file could not be read or decoded (`error.code` is 'ENOENT' when it is missing). */
  | { ok: false; error: NodeJS.ErrnoException }
  /**
   * Every coefficient that is not a finite number >= 0 (calibrate fits them non-negative); all of them
   * when the contents are not an object (`notObject`).
   */
  | { ok: false; problems: ProfileProblem[]; notObject: boolean };

/**
 * The one reader of profile files; never throws. `yaml` also accepts YAML (a superset of JSON), as a
 * scenario's `latency: { profile }` always has. `profile_path` is `path` as given.
 */
export function readProfile(path: string, opts: { yaml?: boolean } = {}): ProfileRead {
  let data: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    data = opts.yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    return { ok: false, error: err as NodeJS.ErrnoException };
  }
  const notObject = typeof data !== 'object' || data === null;
  const d = (notObject ? {} : data) as Record<string, unknown>;
  const problems: ProfileProblem[] = [];
  for (const key of COEFFICIENTS) {
    const value = d[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push({ key, value });
  }
  if (problems.length > 0) return { ok: false, problems, notObject };
  return {
    ok: true,
    latency: {
      model: 'profile',
      profile_path: path,
      prefill_base_ms: d.prefill_base_ms as number,
      prefill_ms_per_token: d.prefill_ms_per_token as number,
      decode_base_ms: d.decode_base_ms as number,
      decode_per_seq_ms: d.decode_per_seq_ms as number,
    },
  };
}

/**
 * Read a profile file into the scenario's latency model. Throws UserError naming the file when it is
 * missing, not JSON, or lacks a coefficient (each must be a finite number >= 0: calibrate fits them
 * non-negative, and a negative time would be no measurement).
 */
export function loadProfile(path: string): ProfileLatency {
  const at = (message: string) =>
    new UserError(`${path}: ${message}`, [{ file: path, line: 0, column: 0, message }]);
  if (!existsSync(path))
    throw at('profile file not found (write one with `routesim calibrate MODEL.gguf --out FILE`)');
  const read = readProfile(resolve(path));
  if (read.ok) return read.latency;
  if ('error' in read) throw at(`not a JSON profile (${read.error.message ?? String(read.error)})`);
  if (read.notObject) throw at('a profile is a JSON object');
  // Say what is missing or not a number first; a negative coefficient only once all are numbers.
  const notNumbers = read.problems.filter((p) => typeof p.value !== 'number' || !Number.isFinite(p.value));
  const problems = notNumbers.length
    ? notNumbers.map((p) => `${p.key} must be a finite number`)
    : read.problems.map((p) => `${p.key} must be >= 0, got ${p.value}`);
  throw new UserError(
    `${path}: not a usable profile`,
    problems.map((message) => ({ file: path, line: 0, column: 0, message })),
  );
}

/** loadProfile when the file exists, else null. */
export function tryLoadProfile(path: string): ProfileLatency | null {
  return existsSync(path) ? loadProfile(path) : null;
}
