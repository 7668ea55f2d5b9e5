/**
 * A measured inference-perf experiment folder, as the BLIS training data lays it out
 * (data/vllm-h100/README.md): `exp-config.yaml` (the vLLM server arguments), `profile.yaml` (the
 * workload), `stage_<i>_lifecycle_metrics.json` per stage and `summary_lifecycle_metrics.json` over all.
 * Read into milliseconds. Every missing file or field is a UserError naming the file and the field.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../core/errors.js';
import type { InferencePerfProfile } from '../../core/types.js';
import { readInferencePerfProfile } from '../../traffic/inference-perf/profile.js';

/** The latency figures compared, in ms (inference-perf's seconds x 1000). */
export const MEASURED_METRICS = [
  'e2e_mean',
  'e2e_p90',
  'e2e_p99',
  'ttft_mean',
  'ttft_p90',
  'ttft_p99',
  'itl_mean',
] as const;
export type MeasuredMetric = (typeof MEASURED_METRICS)[number];

interface MeasuredStage {
  /** Stage index, or 'all' for the summary file. */
  stage: number | 'all';
  /** Requested rate (req/s); null for 'all'. */
  rate: number | null;
  successes: number;
  failures: number;
  /** Over successful requests; NaN when the stage had none. */
  metrics: Record<MeasuredMetric, number>;
}

interface ServerConfig {
  /** `model:` as written, e.g. meta-llama/Llama-2-7b-hf. */
  model: string;
  tensor_parallelism: number;
  max_model_len: number;
  max_num_batched_tokens: number;
  max_num_seqs: number;
}

export interface Experiment {
  /** The folder's name (fidelity.json's `experiment`). */
  name: string;
  dir: string;
  server: ServerConfig;
  profile: InferencePerfProfile;
  /** Stages in order, then 'all'. */
  stages: MeasuredStage[];
}

/**
 * The workload file of the experiment in `dir`: `inference-perf-config.yaml` when present (the run as
 * inference-perf resolved it, which is what it sent: in the shipped runs it ignored the profile's
 * `num_unique_system_prompts` / `num_users_per_system_prompt` and the multi-turn flag, and used its
 * defaults, 10 groups x 10 prompts, single turn), else `profile.yaml`.
 */
export function profileFile(dir: string): string {
  const resolved = join(dir, 'inference-perf-config.yaml');
  return existsSync(resolved) ? resolved : join(dir, 'profile.yaml');
}

/** Reads the experiment in `dir`. Throws UserError (file and field) when something is missing or malformed. */
export function readExperiment(dir: string): Experiment {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(`${dir}: not a folder (expected an inference-perf experiment folder)`);
  const server = readServer(join(dir, 'exp-config.yaml'));
  const profile = readInferencePerfProfile(need(profileFile(dir)));
  const stages: MeasuredStage[] = [];
  profile.load.stages.forEach((st, i) => {
    stages.push(readStage(need(join(dir, `stage_${i}_lifecycle_metrics.json`)), i, st.rate));
  });
  const extra = readdirSync(dir).filter(
    (f) => /^stage_\d+_lifecycle_metrics\.json$/.test(f) && Number(f.split('_')[1]) >= stages.length,
  );
  if (extra.length > 0)
    throw new UserError(
      `${join(dir, extra[0])}: the profile has ${stages.length} stage(s) (load.stages), but this file measures another`,
    );
  stages.push(readStage(need(join(dir, 'summary_lifecycle_metrics.json')), 'all', null));
  return { name: basename(dir), dir, server, profile, stages };
}

function need(path: string): string {
  if (!existsSync(path)) throw new UserError(`${path}: file not found (an inference-perf experiment has it)`);
  return path;
}

function readServer(path: string): ServerConfig {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(need(path), 'utf8'));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${path}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const rec = (data ?? {}) as Record<string, unknown>;
  const int = (key: string, min: number, max: number): number => {
    const v = rec[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new UserError(
        `${path}: \`${key}\`: expected a whole number from ${min} to ${max}, got ${JSON.stringify(v ?? null)}`,
      );
    return v;
  };
  if (typeof rec.model !== 'string' || rec.model.length === 0)
    throw new UserError(
      `${path}: \`model\`: expected the served model's name, got ${JSON.stringify(rec.model ?? null)}`,
    );
  return {
    model: rec.model,
    tensor_parallelism: int('tensor_parallelism', 1, 1024),
    max_model_len: int('max_model_len', 1, 10_000_000),
    max_num_batched_tokens: int('max_num_batched_tokens', 1, 10_000_000),
    max_num_seqs: int('max_num_seqs', 1, 1_000_000),
  };
}

function readStage(path: string, stage: number | 'all', rate: number | null): MeasuredStage {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const get = (keys: string[]): unknown => {
    let v: unknown = data;
    for (const k of keys)
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return v;
  };
  const count = (keys: string[], optional: boolean): number => {
    const v = get(keys);
    if (v === undefined && optional) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new UserError(
        `${path}: \`${keys.join('.')}\`: expected a whole number >= 0, got ${JSON.stringify(v ?? null)}`,
      );
    return v;
  };
  const successes = count(['successes', 'count'], false);
  const failures = count(['failures', 'count'], true);
  const seconds = (keys: string[]): number => {
    const v = get(keys);
    if (successes === 0 && (v === undefined || v === null)) return Number.NaN;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new UserError(
        `${path}: \`${keys.join('.')}\`: expected seconds (a number >= 0), got ${JSON.stringify(v ?? null)}`,
      );
    return v * 1000;
  };
  const lat = (name: string, q: string) => seconds(['successes', 'latency', name, q]);
  return {
    stage,
    rate,
    successes,
    failures,
    metrics: {
      e2e_mean: lat('request_latency', 'mean'),
      e2e_p90: lat('request_latency', 'p90'),
      e2e_p99: lat('request_latency', 'p99'),
      ttft_mean: lat('time_to_first_token', 'mean'),
      ttft_p90: lat('time_to_first_token', 'p90'),
      ttft_p99: lat('time_to_first_token', 'p99'),
      itl_mean: lat('inter_token_latency', 'mean'),
    },
  };
}

/** An overloaded experiment: more than a tenth of its requests failed (client timeouts). */
export function isOverloaded(e: Experiment): boolean {
  const all = e.stages[e.stages.length - 1];
  return all.failures > 0.1 * (all.successes + all.failures);
}

/**
 * The experiment folders under `dir`: `dir` itself when it is one (has exp-config.yaml), else its
 * subfolders that are, sorted by name.
 */
export function experimentDirs(dir: string): string[] {
  if (existsSync(join(dir, 'exp-config.yaml'))) return [dir];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: not a folder`);
  const out = readdirSync(dir)
    .filter((f) => existsSync(join(dir, f, 'exp-config.yaml')))
    .sort()
    .map((f) => join(dir, f));
  if (out.length === 0) throw new UserError(`${dir}: no experiment folders (with exp-config.yaml) in it`);
  return out;
}
