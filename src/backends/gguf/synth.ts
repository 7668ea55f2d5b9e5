/**
 * Synthesize a small, loadable `llama`-architecture GGUF model with seeded random weights and a byte-fallback
 * SentencePiece vocabulary, so tests, demos and CI have real models to run without downloading any.
 * The weights are meaningless (the text it writes is noise) but the compute per token is that of a real
 * llama of the same shape, which is what latency measurements need.
 */

import { UserError } from '../../core/errors.js';
import type { OutputOptions } from '../../core/output/atomic-file.js';
import { SeededRng } from '../../engine/rng.js';
import { type KvValue, type TensorSpec, type TensorType, writeGguf } from './gguf-writer.js';

export interface SynthOptions {
  layers: number;
  /** Embedding width (n_embd). */
  width: number;
  /** Trained context length written to the metadata. */
  context: number;
  /** Vocabulary size: 3 control tokens + 256 byte tokens + extras (>= 259). */
  vocab: number;
  heads: number;
  /** Key/value heads (grouped-query attention); must divide heads. */
  heads_kv: number;
  /** Feed-forward width. */
  ff: number;
  seed: number;
  type: TensorType;
  /** general.architecture; anything but 'llama' makes a file llama.cpp refuses (used to test that error). */
  architecture: string;
  name: string;
}

/** Defaults: the tiny model (a few hundred KB) the tests use. */
const SYNTH_DEFAULTS: SynthOptions = {
  layers: 2,
  width: 64,
  context: 2048,
  vocab: 512,
  heads: 4,
  heads_kv: 4,
  ff: 0, // 0 = derived from width (8/3 × width, rounded up to a multiple of 32), as llama does
  seed: 42,
  type: 'f32',
  architecture: 'llama',
  name: 'routesim-synthetic',
};

export interface SynthResult {
  path: string;
  bytes: number;
  parameters: number;
  options: SynthOptions;
}

const TOKEN_UNK = 0;
export const TOKEN_BOS = 1;
export const TOKEN_EOS = 2;
/** Id of the byte token <0x00>; byte b is FIRST_BYTE_TOKEN + b. */
export const FIRST_BYTE_TOKEN = 3;
const MIN_VOCAB = FIRST_BYTE_TOKEN + 256;

const TYPE_NORMAL = 1;
const TYPE_UNKNOWN = 2;
const TYPE_CONTROL = 3;
const TYPE_BYTE = 6;

/** Options with defaults filled and derived values resolved; throws UserError naming each bad option. */
export function resolveSynthOptions(partial: Partial<SynthOptions>): SynthOptions {
  const o: SynthOptions = { ...SYNTH_DEFAULTS };
  for (const [k, v] of Object.entries(partial))
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  if (partial.heads !== undefined && partial.heads_kv === undefined) o.heads_kv = o.heads;
  if (!o.ff) o.ff = Math.ceil((o.width * 8) / 3 / 32) * 32;
  const problems: string[] = [];
  const positiveInt = (k: keyof SynthOptions) => {
    const v = o[k] as number;
    if (!Number.isInteger(v) || v < 1) problems.push(`--${k} must be a positive integer, got ${v}`);
  };
  for (const k of ['layers', 'width', 'context', 'vocab', 'heads', 'heads_kv', 'ff'] as const) positiveInt(k);
  if (!Number.isInteger(o.seed)) problems.push(`--seed must be an integer, got ${o.seed}`);
  if (o.type !== 'f32' && o.type !== 'f16') problems.push(`--type must be f32 or f16, got ${o.type}`);
  if (o.vocab < MIN_VOCAB)
    problems.push(`--vocab must be at least ${MIN_VOCAB} (3 control + 256 byte tokens)`);
  if (o.width % o.heads !== 0)
    problems.push(`--width (${o.width}) must be a multiple of --heads (${o.heads})`);
  else if ((o.width / o.heads) % 2 !== 0)
    problems.push(`the head size (width / heads = ${o.width / o.heads}) must be even (rope)`);
  if (o.heads % o.heads_kv !== 0)
    problems.push(`--heads (${o.heads}) must be a multiple of the kv heads (${o.heads_kv})`);
  if (problems.length > 0) throw new UserError(`bad synth options: ${problems.join('; ')}`);
  return o;
}

/** A short unique piece for extra token i: ▁a, ▁b, ..., ▁z, ▁aa, ... */
function extraPiece(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `\u2581${s}`;
}

function vocabulary(size: number): { tokens: string[]; scores: Float32Array; types: Int32Array } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [TYPE_UNKNOWN, TYPE_CONTROL, TYPE_CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TYPE_BYTE);
  }
  for (let i = 0; tokens.length < size; i++) {
    tokens.push(extraPiece(i));
    types.push(TYPE_NORMAL);
  }
  const scores = new Float32Array(size);
  for (let i = MIN_VOCAB; i < size; i++) scores[i] = -(i - MIN_VOCAB);
  return { tokens, scores, types: Int32Array.from(types) };
}

/** Seeded uniform(-scale, scale) values, one stream per tensor so tensors do not depend on write order. */
function uniform(seed: number, name: string, scale: number): (count: number) => Float32Array {
  return (count) => {
    const rng = new SeededRng(`${seed}/${name}`);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = (rng.next() * 2 - 1) * scale;
    return out;
  };
}

const ones = (count: number) => new Float32Array(count).fill(1);

/** The tensors of a llama model of this shape (dims in ggml order: input width first). */
export function llamaTensors(o: SynthOptions): TensorSpec[] {
  const headDim = o.width / o.heads;
  const kvWidth = headDim * o.heads_kv;
  // Uniform(-a, a) has std a/√3; a = √3 · 0.5/√fan_in keeps each layer's output well inside f16's range.
  const w = (fanIn: number) => (Math.sqrt(3) * 0.5) / Math.sqrt(fanIn);
  const t: TensorSpec[] = [
    {
      name: 'token_embd.weight',
      dims: [o.width, o.vocab],
      type: o.type,
      fill: uniform(o.seed, 'token_embd', 0.5),
    },
  ];
  for (let l = 0; l < o.layers; l++) {
    const p = `blk.${l}.`;
    const mat = (name: string, dims: number[]): TensorSpec => ({
      name: `${p}${name}.weight`,
      dims,
      type: o.type,
      fill: uniform(o.seed, `${p}${name}`, w(dims[0])),
    });
    t.push(
      { name: `${p}attn_norm.weight`, dims: [o.width], type: 'f32', fill: ones },
      mat('attn_q', [o.width, o.width]),
      mat('attn_k', [o.width, kvWidth]),
      mat('attn_v', [o.width, kvWidth]),
      mat('attn_output', [o.width, o.width]),
      { name: `${p}ffn_norm.weight`, dims: [o.width], type: 'f32', fill: ones },
      mat('ffn_gate', [o.width, o.ff]),
      mat('ffn_up', [o.width, o.ff]),
      mat('ffn_down', [o.ff, o.width]),
    );
  }
  t.push(
    { name: 'output_norm.weight', dims: [o.width], type: 'f32', fill: ones },
    {
      name: 'output.weight',
      dims: [o.width, o.vocab],
      type: o.type,
      fill: uniform(o.seed, 'output', w(o.width)),
    },
  );
  return t;
}

/** The metadata key/values, in the order written. */
export function llamaMetadata(o: SynthOptions): [string, KvValue][] {
  const a = o.architecture;
  const voc = vocabulary(o.vocab);
  return [
    ['general.architecture', { type: 'string', value: a }],
    ['general.name', { type: 'string', value: o.name }],
    ['general.file_type', { type: 'u32', value: o.type === 'f32' ? 0 : 1 }],
    ['general.alignment', { type: 'u32', value: 32 }],
    [`${a}.context_length`, { type: 'u32', value: o.context }],
    [`${a}.embedding_length`, { type: 'u32', value: o.width }],
    [`${a}.block_count`, { type: 'u32', value: o.layers }],
    [`${a}.feed_forward_length`, { type: 'u32', value: o.ff }],
    [`${a}.attention.head_count`, { type: 'u32', value: o.heads }],
    [`${a}.attention.head_count_kv`, { type: 'u32', value: o.heads_kv }],
    [`${a}.rope.dimension_count`, { type: 'u32', value: o.width / o.heads }],
    [`${a}.rope.freq_base`, { type: 'f32', value: 10000 }],
    [`${a}.attention.layer_norm_rms_epsilon`, { type: 'f32', value: 1e-5 }],
    [`${a}.vocab_size`, { type: 'u32', value: o.vocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: voc.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: voc.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: voc.types }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: TOKEN_BOS }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: TOKEN_EOS }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: TOKEN_UNK }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
}

/**
 * Write a synthetic model to `path` (parent folders created). Deterministic: the same options give the
 * same bytes. Throws UserError for bad options, and the I/O error (with the path) when the file cannot be written.
 */
export function synthesizeGguf(
  path: string,
  partial: Partial<SynthOptions> = {},
  out: OutputOptions = {},
): SynthResult {
  const options = resolveSynthOptions(partial);
  const tensors = llamaTensors(options);
  const parameters = tensors.reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0);
  const bytes = writeGguf(path, llamaMetadata(options), tensors, out);
  return { path, bytes, parameters, options };
}
