/**
 * A measured inference-perf experiment -> the routesim scenario that replays it: one simulated vLLM model
 * with the `engine:` block of its server arguments (exp-config.yaml), the model's config.json and the GPU
 * spec, and `traffic: { inference_perf: profile.yaml }`. `routesim import inference-perf` writes it for a
 * user to extend (more models, strategies, events); fidelity and calibration load the same text, so what
 * they judge is exactly what a user gets.
 *
 * Where the files are (as in data/vllm-h100/): the model config is found by the last part of the
 * experiment's `model:` name (meta-llama/Llama-2-7b-hf -> Llama-2-7b-hf/config.json) in `models` (default
 * the `models/` folder beside the experiments' folder), the GPU spec is `gpu` (a built-in name or a
 * JSON file; default the single hardware/*.json beside the experiments' folder, else h100-sxm).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { readGpu } from '../../backends/sim/vllm/gpu.js';
import { BUILT_IN_PROFILES, isBuiltInProfile, profileForGpu } from '../../backends/sim/vllm/profiles.js';
import { UserError } from '../../core/errors.js';
import { closest } from '../../scenario/suggest.js';
import { type Experiment, profileFile } from './measured.js';

export interface ImportOptions {
  /** Folder of model folders, each with a config.json. */
  models?: string;
  /** The model's config.json itself (instead of looking it up in `models`). */
  modelConfig?: string;
  /** A built-in GPU name or a datasheet JSON file. */
  gpu?: string;
  /** A shipped profile's name or a coefficients file (calibrate --benchmark); absent = the physics defaults. */
  coefficients?: string;
  /** The model id in the scenario (default: the config name, lower case). */
  id?: string;
}

/** The config name an experiment's model is found by: the last part of `model:`. */
export function configName(exp: Experiment): string {
  const parts = exp.server.model.split('/');
  return parts[parts.length - 1];
}

/** Absolute path of the experiment's model config.json. Throws UserError naming what was looked for. */
function findModelConfig(exp: Experiment, models?: string): string {
  const dir = resolve(models ?? join(dirname(dirname(exp.dir)), 'models'));
  const name = configName(exp);
  const exact = join(dir, name, 'config.json');
  if (existsSync(exact)) return exact;
  const folders = existsSync(dir) ? readdirSync(dir) : [];
  const loose = folders.find((f) => f.toLowerCase() === name.toLowerCase());
  if (loose && existsSync(join(dir, loose, 'config.json'))) return join(dir, loose, 'config.json');
  throw new UserError(
    `${join(exp.dir, 'exp-config.yaml')}: \`model\`: no config.json for ${exp.server.model} (looked for ${exact}); give --models DIR, a folder of <name>/config.json`,
  );
}

/** The GPU to simulate: `gpu` as given, else the single hardware/*.json beside, else the built-in h100-sxm. */
function findGpu(exp: Experiment, gpu?: string): string {
  if (gpu !== undefined) return existsSync(gpu) ? resolve(gpu) : gpu;
  const dir = join(dirname(dirname(exp.dir)), 'hardware');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  if (files.length === 1) return join(dir, files[0]);
  if (files.length > 1)
    throw new UserError(`${dir}: ${files.length} GPU specs (${files.join(', ')}); choose one with --gpu`);
  return 'h100-sxm';
}

/**
 * What a command's `--coefficients` comes to (import inference-perf, fidelity --benchmark): `none` is the
 * physics defaults (undefined), a shipped profile's name or a file is itself, and nothing given is the
 * shipped profile fitted on the GPU the experiment is simulated on (h100-vllm for an H100 SXM), if there is
 * one, else the physics defaults.
 */
export function chosenCoefficients(
  exp: Experiment,
  given: string | undefined,
  gpu?: string,
): string | undefined {
  if (given === 'none') return undefined;
  if (given !== undefined) {
    if (isBuiltInProfile(given) || existsSync(given)) return given;
    const near = closest(given, BUILT_IN_PROFILES);
    throw new UserError(
      `--coefficients ${given}: not a shipped profile (${BUILT_IN_PROFILES.join(', ')}), not a file, and not \`none\` (the physics defaults)${near ? `; did you mean ${near}?` : ''}`,
    );
  }
  const spec = readGpu(findGpu(exp, gpu));
  return spec.ok ? profileForGpu(spec.value.name) : undefined;
}

/**
 * The scenario's YAML text, its paths relative to `outDir` (the folder the file is written to or loaded
 * as if from). The client timeout is the profile's (300 s when it sets none).
 */
export function importScenarioText(exp: Experiment, outDir: string, opts: ImportOptions = {}): string {
  const rel = (p: string) => {
    const r = relative(resolve(outDir), p);
    return r.split(sep).join('/') || '.';
  };
  const gpu = findGpu(exp, opts.gpu);
  const config =
    opts.modelConfig !== undefined ? resolve(opts.modelConfig) : findModelConfig(exp, opts.models);
  const s = exp.server;
  const engine: Record<string, unknown> = {
    kind: 'vllm',
    model_config: rel(config),
    gpu: gpu.includes('/') || gpu.includes(sep) ? rel(gpu) : gpu,
    tp: s.tensor_parallelism,
    max_num_seqs: s.max_num_seqs,
    max_num_batched_tokens: s.max_num_batched_tokens,
    max_model_len: s.max_model_len,
    prefix_caching: true,
  };
  const c = opts.coefficients;
  if (c !== undefined) engine.coefficients = isBuiltInProfile(c) ? c : rel(resolve(c));
  const id = opts.id ?? configName(exp).toLowerCase();
  const doc = {
    name: exp.name,
    description: `${exp.server.model} on vLLM (tp ${s.tensor_parallelism}), replaying the inference-perf experiment ${exp.name}`,
    seed: 1,
    models: [{ id, engine }],
    traffic: { inference_perf: rel(profileFile(exp.dir)) },
  };
  const head = `# Imported by \`routesim import inference-perf ${exp.dir}\`.\n# The client gives up after the profile's request timeout, ${exp.profile.request_timeout_s} s (traffic.client_timeout overrides it).\n`;
  return head + stringify(doc, { lineWidth: 0 });
}
