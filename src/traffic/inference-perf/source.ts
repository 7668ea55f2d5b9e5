/**
 * The traffic an inference-perf profile sends (profile.ts reads it). Stages run back to back; within a
 * stage, `constant` load sends exactly N = floor(rate x duration) requests at random times: inference-perf's
 * ConstantLoadTimer draws N exponential gaps and rescales them to sum to the stage's duration, i.e. a
 * Poisson process conditioned on N arrivals in the stage, whose times are N sorted uniform points; they
 * are drawn here in order, without storing them (u_k = 1 − (1 − u_{k−1}) · V^(1/(N − k + 1)), V uniform,
 * the k-th smallest of N uniforms given the (k−1)-th). `poisson` draws exponential gaps at the rate.
 * Both use stream `arrivals`; each record carries its stage index.
 *
 * Data `shared_prefix`: system_prompts x users_per_prompt fixed prompts (system prompt of its group +
 * the user's question), sent in turn (request k uses prompt k mod P*U), so the same prompt comes back
 * every P*U requests: its prefix blocks (BLOCK_TOKENS each) have the group's ids for the full blocks of
 * the system prompt and the user's own ids for the rest, which is what a prefix cache sees of identical
 * prompts. With the multi-turn flag each user is a session (`u<k>`), for session affinity. Prompt and
 * output lengths are the profile's (output sent with ignore_eos).
 *
 * next() returns the same record object, overwritten; its prefix_blocks array is shared per prompt and
 * never changed (callers may keep it).
 */
import type { InferencePerfProfile } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import type { ArrivalRecord, RequestSource } from '../source.js';

/** Tokens per prefix block on generated records: vLLM's default block size. */
export const BLOCK_TOKENS = 16;

export class InferencePerfSource implements RequestSource {
  readonly skipped = 0;
  private stage = 0;
  private stageStart = 0;
  /** Requests sent in the current stage. */
  private inStage = 0;
  /** Constant load: the previous arrival's place in the stage, as a fraction of its duration. */
  private u = 0;
  /** Poisson: time of the previous arrival within the stage (ms from its start). */
  private poissonT = 0;
  private sent = 0;
  private readonly blocks: readonly number[][];
  private readonly session: readonly string[];
  private readonly rec: ArrivalRecord;

  constructor(
    private readonly profile: InferencePerfProfile,
    private readonly arrivals: Rng,
    private readonly horizon_ms: number,
  ) {
    const d = profile.data;
    const prompts = d.system_prompts * d.users_per_prompt;
    const prompt = d.system_prompt_len + d.question_len;
    const sysBlocks = Math.floor(d.system_prompt_len / BLOCK_TOKENS);
    const total = Math.ceil(prompt / BLOCK_TOKENS);
    const userBase = d.system_prompts * sysBlocks;
    const blocks: number[][] = [];
    const session: string[] = [];
    for (let k = 0; k < prompts; k++) {
      const g = Math.floor(k / d.users_per_prompt);
      const b = new Array<number>(total);
      for (let j = 0; j < total; j++)
        b[j] = j < sysBlocks ? g * sysBlocks + j : userBase + k * (total - sysBlocks) + (j - sysBlocks);
      blocks.push(b);
      session.push(`u${k}`);
    }
    this.blocks = blocks;
    this.session = session;
    this.rec = {
      t_ms: 0,
      prompt_tokens: prompt,
      output_tokens: d.output_len,
      prefix_blocks: blocks[0],
      block_tokens: BLOCK_TOKENS,
      stage: 0,
    };
  }

  next(): ArrivalRecord | null {
    const stages = this.profile.load.stages;
    while (this.stage < stages.length) {
      const st = stages[this.stage];
      const span = st.duration_s * 1000;
      let t: number;
      if (this.profile.load.type === 'constant') {
        const n = Math.floor(st.rate * st.duration_s + 1e-9);
        if (this.inStage < n) {
          // 1 − next() is in (0, 1]: the point never reaches the stage's end.
          this.u = 1 - (1 - this.u) * (1 - this.arrivals.next()) ** (1 / (n - this.inStage));
          t = this.u * span;
        } else t = span;
      } else {
        this.poissonT += (-Math.log(1 - this.arrivals.next()) * 1000) / st.rate;
        t = this.poissonT;
      }
      if (t < span - 1e-9) {
        this.inStage++;
        const at = this.stageStart + t;
        if (!(at < this.horizon_ms)) return null;
        return this.emit(at);
      }
      this.stage++;
      this.stageStart += span;
      this.inStage = 0;
      this.u = 0;
      this.poissonT = 0;
    }
    return null;
  }

  private emit(t: number): ArrivalRecord {
    const k = this.sent++ % this.blocks.length;
    const r = this.rec;
    r.t_ms = t;
    r.prefix_blocks = this.blocks[k];
    r.stage = this.stage;
    if (this.profile.data.multi_turn) r.session_id = this.session[k];
    return r;
  }
}
