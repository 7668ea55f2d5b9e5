/**
 * Reads a Hugging Face config.json into the ModelArch the physics needs. Understood: the Llama family
 * (LlamaForCausalLM, Mistral, Qwen2 and the like: SwiGLU MLP, grouped-query attention) and Mixtral-style
 * mixtures of experts (num_local_experts / num_experts, num_experts_per_tok). Optional fields take the
 * transformers defaults (num_key_value_heads = num_attention_heads, head_dim = hidden / heads). Never throws.
 */
import { basename, dirname } from 'node:path';
import type { ModelArch } from '../../../core/engine-spec.js';
import { asObject, numberField, type Read, readJson } from './json-file.js';

/** Bytes per element of each torch dtype name a config may give. */
const DTYPE_BYTES: Readonly<Record<string, number>> = Object.freeze({
  bfloat16: 2,
  float16: 2,
  half: 2,
  float32: 4,
  float: 4,
  float8: 1,
  float8_e4m3fn: 1,
});

const BIG = 1e9;

/** Reads the config at `path`; the arch's name is its folder's name (the model's repository name). */
export function readModelConfig(path: string): Read<ModelArch> {
  const json = readJson(path);
  if (!json.ok) return json;
  return parseModelConfig(json.value, basename(dirname(path)));
}

/** Checks decoded config.json contents; `name` becomes arch.name. */
function parseModelConfig(data: unknown, name: string): Read<ModelArch> {
  const o = asObject(data);
  if (o === undefined) return { ok: false, problems: ['a config.json is a JSON object'] };
  // Multimodal configs nest the language model's fields under text_config.
  const c = asObject(o.text_config) ?? o;
  const p: string[] = [];
  const int = (key: string, required = true) =>
    numberField(c, key, '', p, { min: 1, max: BIG, int: true, required });
  const layers = int('num_hidden_layers');
  const hidden = int('hidden_size');
  const heads = int('num_attention_heads');
  const kvHeads = int('num_key_value_heads', false) ?? heads;
  const intermediate = int('intermediate_size');
  const vocab = int('vocab_size');
  const experts = int('num_local_experts', false) ?? int('num_experts', false) ?? 1;
  const perToken = experts > 1 ? (int('num_experts_per_tok') ?? 1) : 1;
  const headDim = int('head_dim', false) ?? (hidden && heads ? hidden / heads : undefined);
  const maxPos = int('max_position_embeddings', false) ?? 4096;
  const dtype =
    typeof c.torch_dtype === 'string'
      ? c.torch_dtype
      : typeof o.torch_dtype === 'string'
        ? o.torch_dtype
        : 'bfloat16';
  const dtypeBytes = DTYPE_BYTES[dtype];
  if (dtypeBytes === undefined)
    p.push(
      `torch_dtype: unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_BYTES).join(', ')})`,
    );
  if (headDim !== undefined && !Number.isInteger(headDim))
    p.push(`hidden_size / num_attention_heads is not whole (${headDim}): give head_dim`);
  if (heads !== undefined && kvHeads !== undefined && heads % kvHeads !== 0)
    p.push(`num_key_value_heads: must divide num_attention_heads (${heads}), got ${kvHeads}`);
  if (experts > 1 && perToken > experts)
    p.push(`num_experts_per_tok: must be at most the number of experts (${experts}), got ${perToken}`);
  if (p.length > 0) return { ok: false, problems: p };
  return {
    ok: true,
    value: {
      name,
      layers: layers!,
      hidden: hidden!,
      heads: heads!,
      kv_heads: kvHeads!,
      head_dim: headDim!,
      intermediate: intermediate!,
      experts,
      experts_per_token: perToken,
      vocab: vocab!,
      dtype_bytes: dtypeBytes!,
      dtype,
      tie_embeddings: c.tie_word_embeddings === true,
      max_position_embeddings: maxPos,
    },
  };
}
