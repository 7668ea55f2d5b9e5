/**
 * The step-time coefficients of the vLLM engine model (the contract `calibrate --benchmark` fits and a
 * scenario's `engine: { coefficients: FILE }` reads): their zero-shot defaults, the ranges a fitter may
 * search, and the one reader and writer of the coefficients file.
 *
 * The file (JSON):
 *   { "kind": "routesim-vllm-coefficients", "version": 1,
 *     "gpu": "h100-sxm",                          the GPU the fit was made on (informative)
 *     "coefficients": { <every key of VllmCoefficients>: number },   the cross-model set
 *     "fitted_on": ["<experiment>", ...],         optional: what it was fitted to
 *     "per_model": { "<config name>": { <some keys>: number } },     optional: per-model overrides
 *     "fit": { ... } }                            optional, free-form: the fitter's error figures
 * A model uses per_model[its config name] over `coefficients` (coefficientsFor). Every number must lie in
 * COEFFICIENT_BOUNDS.
 */

import type { VllmCoefficients } from '../../../core/engine-spec.js';
import type { OutputOptions } from '../../../core/output/atomic-file.js';
import { writeFileAtomic } from '../../../core/output/atomic-file.js';
import { asObject, numberField, type Read, readJson } from './json-file.js';

export type { VllmCoefficients } from '../../../core/engine-spec.js';

const COEFFICIENTS_KIND = 'routesim-vllm-coefficients';
const COEFFICIENTS_VERSION = 1;

/**
 * Zero-shot values (no fit), from what H100-class GPUs and vLLM v1 are generally measured to achieve:
 * about 75% of the dense tensor peak on large bf16 matrix products (cuBLAS reaches ~750 of 989 TFLOP/s),
 * about 90% of the HBM bandwidth when streaming weights and KV (~3.0 of 3.35 TB/s), a millisecond of
 * scheduling and launch per step, ~10 µs per all-reduce, ~10 ms of HTTP and tokenization before a
 * request reaches the scheduler, ~20 µs per layer of small kernels (~10 of ~2 µs each), and ~10 ms more
 * before a first token when tp > 1 (the multiprocess executor's second process hop, of the API's order).
 */
export const PHYSICS_DEFAULTS: Readonly<VllmCoefficients> = Object.freeze({
  compute_efficiency: 0.75,
  memory_efficiency: 0.9,
  step_overhead_ms: 1,
  seq_overhead_ms: 0.01,
  allreduce_us: 10,
  api_overhead_ms: 10,
  layer_overhead_us: 20,
  tp_first_token_ms: 10,
});

/** Inclusive ranges a fitter may search and a coefficients file may hold. */
export const COEFFICIENT_BOUNDS: Readonly<Record<keyof VllmCoefficients, readonly [number, number]>> =
  Object.freeze({
    compute_efficiency: [0.05, 1],
    memory_efficiency: [0.05, 1],
    step_overhead_ms: [0, 50],
    seq_overhead_ms: [0, 2],
    allreduce_us: [0, 1000],
    api_overhead_ms: [0, 1000],
    layer_overhead_us: [0, 500],
    tp_first_token_ms: [0, 1000],
  });

/** The keys, in the file's order. */
export const COEFFICIENT_KEYS = Object.keys(PHYSICS_DEFAULTS) as (keyof VllmCoefficients)[];

/** Keys added after files were first written: a complete set may leave them out (their physics default). */
const LATER_KEYS: ReadonlySet<keyof VllmCoefficients> = new Set(['layer_overhead_us', 'tp_first_token_ms']);

export interface CoefficientsFile {
  kind: typeof COEFFICIENTS_KIND;
  version: typeof COEFFICIENTS_VERSION;
  gpu: string;
  coefficients: VllmCoefficients;
  fitted_on?: string[];
  per_model?: Record<string, Partial<VllmCoefficients>>;
  fit?: Record<string, unknown>;
}

const TOP_KEYS = new Set(['kind', 'version', 'gpu', 'coefficients', 'fitted_on', 'per_model', 'fit']);

/** A new coefficients file for `gpu` (what calibrate writes): the shared set, and what else is given. */
export function makeCoefficientsFile(
  gpu: string,
  coefficients: VllmCoefficients,
  extra: Pick<CoefficientsFile, 'fitted_on' | 'per_model' | 'fit'> = {},
): CoefficientsFile {
  return {
    kind: COEFFICIENTS_KIND,
    version: COEFFICIENTS_VERSION,
    gpu,
    coefficients: { ...coefficients },
    ...extra,
  };
}

/** The coefficients model `name` (a config name, e.g. "Llama-2-7b-hf") uses from `file`. */
export function coefficientsFor(file: CoefficientsFile, name: string): VllmCoefficients {
  return { ...file.coefficients, ...(file.per_model?.[name] ?? {}) };
}

/** Reads and checks a coefficients file; never throws. Each problem names its field. */
export function readCoefficientsFile(path: string): Read<CoefficientsFile> {
  const json = readJson(path);
  if (!json.ok) return json;
  return parseCoefficientsFile(json.value);
}

/** Checks the decoded contents of a coefficients file (see the file's header). */
export function parseCoefficientsFile(data: unknown): Read<CoefficientsFile> {
  const o = asObject(data);
  if (o === undefined) return { ok: false, problems: ['a coefficients file is a JSON object'] };
  // Some other JSON file: say so once, not once per key.
  if (o.kind !== COEFFICIENTS_KIND)
    return {
      ok: false,
      problems: [
        `kind: must be "${COEFFICIENTS_KIND}", got ${JSON.stringify(o.kind)} (not a coefficients file)`,
      ],
    };
  const problems: string[] = [];
  for (const k of Object.keys(o)) if (!TOP_KEYS.has(k)) problems.push(`${k}: unknown key`);
  if (o.version !== COEFFICIENTS_VERSION)
    problems.push(`version: must be ${COEFFICIENTS_VERSION}, got ${JSON.stringify(o.version)}`);
  if (typeof o.gpu !== 'string' || o.gpu === '') problems.push('gpu: must be a GPU name');
  const coefficients = readSet(o.coefficients, 'coefficients', true, problems) as VllmCoefficients;
  const out: CoefficientsFile = {
    kind: COEFFICIENTS_KIND,
    version: COEFFICIENTS_VERSION,
    gpu: String(o.gpu),
    coefficients,
  };
  if (o.fitted_on !== undefined) {
    if (!Array.isArray(o.fitted_on) || o.fitted_on.some((x) => typeof x !== 'string'))
      problems.push('fitted_on: must be a list of names');
    else out.fitted_on = [...o.fitted_on];
  }
  if (o.per_model !== undefined) {
    const pm = asObject(o.per_model);
    if (pm === undefined) problems.push('per_model: must be an object of model name -> coefficients');
    else {
      out.per_model = {};
      for (const [name, set] of Object.entries(pm))
        out.per_model[name] = readSet(set, `per_model.${name}`, false, problems);
    }
  }
  if (o.fit !== undefined) {
    const fit = asObject(o.fit);
    if (fit === undefined) problems.push('fit: must be an object');
    else out.fit = fit;
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: out };
}

/** A set of coefficients at `where`: every key when `complete`, else any of them; each within bounds. */
function readSet(
  v: unknown,
  where: string,
  complete: boolean,
  problems: string[],
): Partial<VllmCoefficients> {
  const o = asObject(v);
  if (o === undefined) {
    problems.push(`${where}: must be an object of coefficient -> number`);
    return {};
  }
  const out: Partial<VllmCoefficients> = {};
  for (const k of Object.keys(o))
    if (!(COEFFICIENT_KEYS as string[]).includes(k))
      problems.push(`${where}.${k}: unknown coefficient (known: ${COEFFICIENT_KEYS.join(', ')})`);
  for (const k of COEFFICIENT_KEYS) {
    const [min, max] = COEFFICIENT_BOUNDS[k];
    const later = LATER_KEYS.has(k) && o[k] === undefined;
    const n = numberField(o, k, `${where}.`, problems, { min, max, required: complete && !later });
    if (n !== undefined) out[k] = n;
    else if (complete && later) out[k] = PHYSICS_DEFAULTS[k];
  }
  return out;
}

/** The file's text: pretty JSON, keys in a fixed order, a final newline (byte-stable for a given fit). */
export function formatCoefficientsFile(file: CoefficientsFile): string {
  const ordered = (set: Partial<VllmCoefficients>) =>
    Object.fromEntries(COEFFICIENT_KEYS.filter((k) => set[k] !== undefined).map((k) => [k, set[k]]));
  const out: Record<string, unknown> = {
    kind: COEFFICIENTS_KIND,
    version: COEFFICIENTS_VERSION,
    gpu: file.gpu,
    coefficients: ordered(file.coefficients),
  };
  if (file.fitted_on) out.fitted_on = file.fitted_on;
  if (file.per_model)
    out.per_model = Object.fromEntries(
      Object.keys(file.per_model)
        .sort()
        .map((n) => [n, ordered(file.per_model![n])]),
    );
  if (file.fit) out.fit = file.fit;
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Writes a coefficients file atomically (parent folders created; core/output says what is refused). */
export function writeCoefficientsFile(path: string, file: CoefficientsFile, opts: OutputOptions = {}): void {
  writeFileAtomic(path, formatCoefficientsFile(file), opts);
}
