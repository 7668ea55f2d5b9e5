/**
 * Step time of a vLLM engine from physics (README "Serving engine"): the FLOPs and bytes of one forward
 * pass over the step's batch, on each of the tp GPUs, as a roofline per phase, plus tensor-parallel
 * communication and fixed overheads, corrected by the coefficients (coefficients.ts):
 *
 *   matmul phase    = max(linear FLOPs / (tp · peak · compute_efficiency), weight bytes / (bw · memory_efficiency))
 *   attention phase = max(attention FLOPs / (tp · peak · compute_efficiency), KV bytes / (bw · memory_efficiency))
 *   all-reduce      = 2 per layer when tp > 1: ring time of the step's activations over NVLink + allreduce_us
 *   step (ms)       = matmul + attention + all-reduce + step_overhead_ms + seq_overhead_ms · sequences
 *                     + layer_overhead_us · layers
 *
 * - Linear FLOPs: 2 × tokens × (attention projections + experts_per_token × gated MLP + router) per layer,
 *   plus 2 × hidden × vocab for each sequence whose logits the step samples (vLLM computes the LM head on
 *   sampled positions only).
 * - Weight bytes per GPU: the non-expert weights and the LM head once per step, / tp; of a mixture of
 *   experts, only the experts the batch touches: E × (1 − (1 − k/E)^tokens) per layer (uniform routing).
 * - Attention FLOPs: 4 × heads × head_dim × layers per (query, key) pair; a chunk of n new tokens after p
 *   computed ones has n·p + n(n+1)/2 pairs (causal); a decode token over context c has c.
 * - KV bytes per GPU: each sequence's context read once, and the new tokens' K and V written.
 * - Peak: the GPU's dense tensor TFLOP/s for the model's dtype (datasheet sparse figures halved, gpu.ts);
 *   bw: HBM bandwidth; NVLink figures are both directions together, so a ring moves data at half of it.
 * The batch is handed over as a StepBatch the scheduler fills and reuses (no allocation per step).
 */
import type { GpuSpec, ModelArch, VllmCoefficients } from '../../../core/engine-spec.js';
import {
  attentionParams,
  expertParams,
  kvBytesPerTokenPerGpu,
  routerParams,
  totalParams,
} from './capacity.js';

/** One step's batch, as aggregates over its scheduled sequences. */
export interface StepBatch {
  /** New tokens computed this step (decode tokens + prefill chunk tokens). */
  tokens: number;
  /** Sequences scheduled. */
  seqs: number;
  /** Sequences that sample a token at the end of the step. */
  logits: number;
  /** (query, key) pairs of attention over all scheduled sequences. */
  pairs: number;
  /** KV tokens read or written: Σ (computed before the step + new tokens). */
  kvTokens: number;
}

export function emptyBatch(): StepBatch {
  return { tokens: 0, seqs: 0, logits: 0, pairs: 0, kvTokens: 0 };
}

/** The FLOPs and bytes of one step on one GPU (exported for tests and the report of the physics). */
export interface StepCost {
  linearFlops: number;
  attentionFlops: number;
  weightBytes: number;
  kvBytes: number;
  allreduceBytes: number;
}

/** Token counts up to which touchedExperts keeps its results. */
const TOUCHED_MEMO = 1 << 16;

export class StepPhysics {
  private readonly tp: number;
  private readonly layers: number;
  private readonly experts: number;
  private readonly expertFrac: number;
  private readonly linFlopsPerToken: number;
  private readonly lmFlopsPerLogit: number;
  private readonly attnFlopsPerPair: number;
  private readonly sharedWeightBytes: number;
  private readonly expertBytes: number;
  private readonly kvBytesPerToken: number;
  private readonly actBytesPerToken: number;
  private readonly peak: number;
  private readonly bw: number;
  private readonly link: number;
  private readonly c: VllmCoefficients;

  constructor(arch: ModelArch, gpu: GpuSpec, tp: number, coefficients: VllmCoefficients) {
    const a = arch;
    this.tp = tp;
    this.layers = a.layers;
    this.experts = a.experts;
    this.expertFrac = a.experts > 1 ? a.experts_per_token / a.experts : 1;
    const active = attentionParams(a) + a.experts_per_token * expertParams(a) + routerParams(a);
    this.linFlopsPerToken = 2 * a.layers * active;
    this.lmFlopsPerLogit = 2 * a.hidden * a.vocab;
    this.attnFlopsPerPair = 4 * a.layers * a.heads * a.head_dim;
    // Everything but the experts and the input embedding (a gather, not a read of the whole table).
    const embed = a.vocab * a.hidden;
    const experts = a.layers * a.experts * expertParams(a);
    const shared = totalParams(a) - experts - (a.tie_embeddings ? 0 : embed);
    this.sharedWeightBytes = (shared * a.dtype_bytes) / tp;
    this.expertBytes = (expertParams(a) * a.dtype_bytes) / tp;
    this.kvBytesPerToken = kvBytesPerTokenPerGpu(a, tp);
    this.actBytesPerToken = a.hidden * a.dtype_bytes;
    const tflops = gpu.dense_tflops[a.dtype] ?? gpu.dense_tflops.bfloat16;
    this.peak = tflops * 1e12;
    this.bw = gpu.bandwidth_tb_s * 1e12;
    this.link = (gpu.nvlink_gb_s * 1e9) / 2;
    this.c = coefficients;
  }

  /** touchedExperts by token count, as computed (NaN: not yet); a step's tokens repeat, a power is slow. */
  private touched = new Float64Array(0);

  /** Experts of one layer a batch of `tokens` touches, expected under uniform routing. */
  touchedExperts(tokens: number): number {
    if (this.experts <= 1) return 1;
    const memo = tokens >= 0 && tokens < TOUCHED_MEMO && tokens === Math.floor(tokens);
    if (memo && tokens < this.touched.length && !Number.isNaN(this.touched[tokens]))
      return this.touched[tokens];
    const e = this.experts * (1 - (1 - this.expertFrac) ** tokens);
    if (memo) {
      if (tokens >= this.touched.length) {
        const t = new Float64Array(Math.min(TOUCHED_MEMO, Math.max(2 * tokens + 1, 1024))).fill(Number.NaN);
        t.set(this.touched);
        this.touched = t;
      }
      this.touched[tokens] = e;
    }
    return e;
  }

  /** FLOPs and bytes of the step on one GPU (into `out`, reused). */
  cost(b: StepBatch, out: StepCost): StepCost {
    const tp = this.tp;
    out.linearFlops = (this.linFlopsPerToken * b.tokens + this.lmFlopsPerLogit * b.logits) / tp;
    out.attentionFlops = (this.attnFlopsPerPair * b.pairs) / tp;
    out.weightBytes =
      b.tokens > 0
        ? this.sharedWeightBytes + this.layers * this.touchedExperts(b.tokens) * this.expertBytes
        : 0;
    out.kvBytes = this.kvBytesPerToken * b.kvTokens;
    out.allreduceBytes = tp > 1 ? this.actBytesPerToken * b.tokens : 0;
    return out;
  }

  private readonly scratch: StepCost = {
    linearFlops: 0,
    attentionFlops: 0,
    weightBytes: 0,
    kvBytes: 0,
    allreduceBytes: 0,
  };

  /** Duration of a step over `b`, in ms (0 for an empty batch). */
  stepMs(b: StepBatch): number {
    if (b.seqs === 0) return 0;
    const c = this.c;
    const k = this.cost(b, this.scratch);
    const flops = this.peak * c.compute_efficiency;
    const bytes = this.bw * c.memory_efficiency;
    const matmul = Math.max(k.linearFlops / flops, k.weightBytes / bytes);
    const attention = Math.max(k.attentionFlops / flops, k.kvBytes / bytes);
    let comm = 0;
    if (this.tp > 1) {
      const ring = (2 * (this.tp - 1)) / this.tp;
      comm = 2 * this.layers * ((ring * k.allreduceBytes) / this.link + c.allreduce_us * 1e-6);
    }
    return (
      (matmul + attention + comm + this.layers * c.layer_overhead_us * 1e-6) * 1000 +
      c.step_overhead_ms +
      c.seq_overhead_ms * b.seqs
    );
  }
}
