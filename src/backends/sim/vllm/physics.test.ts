import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VllmCoefficients } from '../../../core/engine-spec.js';
import {
  kvBlocksFromMemory,
  kvBytesPerToken,
  kvBytesPerTokenPerGpu,
  totalParams,
  weightBytes,
} from './capacity.js';
import { builtInGpu, readGpu } from './gpu.js';
import { readModelConfig } from './model-config.js';
import { type StepBatch, type StepCost, StepPhysics } from './physics.js';

const MODELS = resolve(import.meta.dirname, '../../../../data/vllm-h100/models');
const arch = (name: string) => {
  const r = readModelConfig(`${MODELS}/${name}/config.json`);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.value;
};
const h100 = builtInGpu('h100-sxm')!;
const cost = (): StepCost => ({
  linearFlops: 0,
  attentionFlops: 0,
  weightBytes: 0,
  kvBytes: 0,
  allreduceBytes: 0,
});
const coef: VllmCoefficients = {
  compute_efficiency: 0.5,
  memory_efficiency: 0.8,
  step_overhead_ms: 1,
  seq_overhead_ms: 0.1,
  allreduce_us: 10,
  api_overhead_ms: 0,
  layer_overhead_us: 0,
  tp_first_token_ms: 0,
};

describe('model config and GPU', () => {
  it('reads Llama-2-7b and Mixtral from their config.json', () => {
    expect(arch('Llama-2-7b-hf')).toMatchObject({
      name: 'Llama-2-7b-hf',
      layers: 32,
      hidden: 4096,
      heads: 32,
      kv_heads: 32,
      head_dim: 128,
      intermediate: 11008,
      experts: 1,
      experts_per_token: 1,
      vocab: 32000,
      dtype_bytes: 2,
    });
    expect(arch('Mixtral-8x7B-v0.1')).toMatchObject({ kv_heads: 8, experts: 8, experts_per_token: 2 });
  });

  it('halves the datasheet sparse TFLOP/s; the shipped datasheet file gives the built-in spec', () => {
    expect(h100.dense_tflops.bfloat16).toBe(989.5);
    expect(h100.dense_tflops.float8).toBe(1979);
    const file = readGpu(resolve(MODELS, '../hardware/h100-sxm.json'));
    expect(file.ok && file.value).toEqual(h100);
  });
});

describe('Llama-2-7b sizes (hand-computed)', () => {
  const a = arch('Llama-2-7b-hf');
  it('parameters, weight and KV bytes, KV blocks on one H100', () => {
    // Per layer: attention 4·4096² = 67,108,864; MLP 3·4096·11008 = 135,266,304; ×32 layers, plus the
    // embedding and LM head 2·32000·4096 = 262,144,000: 6,738,149,376 (the published 6.74B).
    expect(totalParams(a)).toBe(6_738_149_376);
    expect(weightBytes(a)).toBe(13_476_298_752);
    // K and V: 2 · 32 layers · 32 heads · 128 · 2 bytes.
    expect(kvBytesPerToken(a)).toBe(524_288);
    // (80 GiB · 0.9 − 13,476,298,752 − 1.5 GiB) / (16 · 524,288) = 62,222,499,840 / 8,388,608 = 7417.4.
    expect(kvBlocksFromMemory(a, 80, 1, 0.9, 16)).toBe(7417);
  });

  it('FLOPs, bytes and step time of a mixed step', () => {
    const p = new StepPhysics(a, h100, 1, coef);
    // One decode token over a context of 1000, plus a 512-token prefill chunk that ends its prompt.
    const b: StepBatch = {
      tokens: 513,
      seqs: 2,
      logits: 2,
      pairs: 1000 + (512 * 513) / 2,
      kvTokens: 1000 + 512,
    };
    const k = p.cost(b, cost());
    // Linear: 2 · 6,476,005,376 (all but the embeddings) per token; LM head 2 · 4096 · 32000 per logit.
    expect(k.linearFlops).toBe(2 * 6_476_005_376 * 513 + 262_144_000 * 2);
    // Attention: 4 · 32 layers · 32 heads · 128 = 524,288 FLOPs per (query, key) pair; 132,328 pairs.
    expect(k.attentionFlops).toBe(524_288 * 132_328);
    // Weights read once: everything but the input embedding, 2 bytes each.
    expect(k.weightBytes).toBe((6_738_149_376 - 131_072_000) * 2);
    expect(k.kvBytes).toBe(524_288 * 1512);
    expect(k.allreduceBytes).toBe(0);
    const matmul = k.linearFlops / (989.5e12 * 0.5); // compute-bound: 13.43 ms > 4.93 ms of weights
    const attention = k.kvBytes / (3.35e12 * 0.8); // memory-bound: 0.296 ms > 0.140 ms
    expect(p.stepMs(b)).toBeCloseTo((matmul + attention) * 1000 + 1 + 2 * 0.1, 9);
    expect(p.stepMs(b)).toBeCloseTo(14.927, 2);
  });

  it('a decode step is memory-bound: weights + KV over the bandwidth', () => {
    const p = new StepPhysics(a, h100, 1, coef);
    const b: StepBatch = { tokens: 16, seqs: 16, logits: 16, pairs: 16 * 700, kvTokens: 16 * 700 };
    const ms = ((13_214_154_752 + 524_288 * 16 * 700) / (3.35e12 * 0.8)) * 1000 + 1 + 1.6;
    expect(p.stepMs(b)).toBeCloseTo(ms, 9);
  });
});

describe('per-layer kernel floor', () => {
  it('adds layer_overhead_us × layers to every step: 32 layers of Llama-2-7b, 80 of Llama-2-70b', () => {
    const b: StepBatch = { tokens: 16, seqs: 16, logits: 16, pairs: 16 * 700, kvTokens: 16 * 700 };
    const with25 = { ...coef, layer_overhead_us: 25 };
    const a = arch('Llama-2-7b-hf');
    const d7 = new StepPhysics(a, h100, 1, with25).stepMs(b) - new StepPhysics(a, h100, 1, coef).stepMs(b);
    expect(d7).toBeCloseTo(0.8, 9); // 32 × 25 µs
    const a70 = arch('Llama-2-70b-hf');
    const d70 =
      new StepPhysics(a70, h100, 4, with25).stepMs(b) - new StepPhysics(a70, h100, 4, coef).stepMs(b);
    expect(d70).toBeCloseTo(2, 9); // 80 × 25 µs, whatever the tensor parallelism
  });
});

describe('tensor parallelism and experts', () => {
  it('Llama-2-70b on 4 GPUs: a quarter of the weights and KV heads each, two all-reduces per layer', () => {
    const a = arch('Llama-2-70b-hf');
    const p1 = new StepPhysics(a, h100, 1, coef);
    const p4 = new StepPhysics(a, h100, 4, coef);
    const b: StepBatch = { tokens: 10, seqs: 10, logits: 10, pairs: 10_000, kvTokens: 10_000 };
    const k1 = p1.cost(b, cost());
    const k4 = p4.cost(b, cost());
    expect(k4.weightBytes).toBeCloseTo(k1.weightBytes / 4, 0);
    expect(k4.kvBytes).toBe(k1.kvBytes / 4); // 8 KV heads -> 2 per GPU
    expect(k4.allreduceBytes).toBe(10 * 8192 * 2);
    // 80 layers × 2 all-reduces of (2·3/4 · 163,840 bytes over 450 GB/s + 10 µs).
    const comm = 160 * ((1.5 * 163_840) / 450e9 + 10e-6);
    const mem = (k4.weightBytes + k4.kvBytes) / (3.35e12 * 0.8);
    expect(p4.stepMs(b)).toBeCloseTo((mem + comm) * 1000 + 1 + 1, 9);
  });

  it('Mixtral on 2 GPUs: its KV cache holds the reasoning run at 128 sequences (no preemption)', () => {
    const a = arch('Mixtral-8x7B-v0.1');
    // Per layer: attention 4096·128·(2·32 + 2·8) = 41,943,040; 8 experts of 3·4096·14336 = 176,160,768;
    // router 4096·8 = 32,768; ×32 layers, plus embedding and LM head 2·32000·4096: 46.7B.
    expect(totalParams(a)).toBe(46_702_526_464);
    // 8 KV heads -> 4 per GPU: 2 · 32 layers · 4 · 128 · 2 bytes.
    expect(kvBytesPerTokenPerGpu(a, 2)).toBe(65_536);
    // (80 GiB · 0.9 − 46,702,526,464 − 1.5 GiB) / (16 · 65,536) = 28,996,272,128 / 1,048,576 = 27,653.1.
    expect(kvBlocksFromMemory(a, 80, 2, 0.9, 16)).toBe(27_653);
    // Its worst case, 128 sequences each at the longest prompt (1,101) + 1,448 outputs and no prompt
    // shared: 326,272 tokens, 20,392 blocks.
    expect(Math.ceil((1101 + 1448) / 16) * 128).toBeLessThan(27_653);
  });

  it('Mixtral: a decode batch reads only the experts it touches', () => {
    const a = arch('Mixtral-8x7B-v0.1');
    const p = new StepPhysics(a, h100, 2, coef);
    // 8 experts, 2 per token: one token touches 2; two tokens 8·(1 − 0.75²) = 3.5; many tokens all 8.
    expect(p.touchedExperts(1)).toBe(2);
    expect(p.touchedExperts(2)).toBe(3.5);
    expect(p.touchedExperts(1000)).toBeCloseTo(8, 9);
    const expert = 3 * 4096 * 14336 * 2; // bytes of one expert's MLP
    const one = p.cost({ tokens: 1, seqs: 1, logits: 1, pairs: 1, kvTokens: 1 }, cost());
    const two = p.cost({ tokens: 2, seqs: 2, logits: 2, pairs: 2, kvTokens: 2 }, cost());
    expect(two.weightBytes - one.weightBytes).toBeCloseTo((32 * 1.5 * expert) / 2, 0);
    // Compute: 2 experts per token, whatever the batch.
    expect(two.linearFlops).toBeCloseTo(2 * one.linearFlops, 0);
  });
});
