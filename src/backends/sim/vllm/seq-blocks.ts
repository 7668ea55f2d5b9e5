/**
 * What each sequence of a VllmScheduler holds in the KV cache (kv-blocks.ts), in its SeqState: its leading
 * cached prefix units (held by unit index) and its private blocks, with the room they give; the lookup at
 * admission, allocation for a step, publishing the prefix units it has computed, and letting go of all.
 * The rules are the scheduler's (scheduler.ts).
 */
import type { AttemptPool } from '../pool.js';
import type { KvBlocks } from './kv-blocks.js';
import type { SeqState } from './seq-state.js';

export class SeqBlocks {
  constructor(
    private readonly pool: AttemptPool,
    private readonly kv: KvBlocks,
    private readonly q: SeqState,
    private readonly bs: number,
    private readonly caching: boolean,
  ) {}

  /** Tokens of prefix unit block of sequence idx (its block_tokens, else the engine's block size). */
  private unitTokens(idx: number): number {
    const b = this.pool.blockTokens[idx];
    return b > 0 ? b : this.bs;
  }

  /** Engine blocks shared through the first `h` prefix units of sequence idx. */
  private sharedBlocks(idx: number, h: number): number {
    return Math.floor((h * this.unitTokens(idx)) / this.bs);
  }

  /** Cached leading prefix units of waiting sequence s: held, and counted as computed. */
  lookup(s: number): void {
    const p = this.pool;
    const nb = p.nBlocks[s];
    if (!this.caching || nb === 0) return;
    const units = this.q.unitBuffer(s, nb);
    let h = this.kv.matchUnits(p.blocks[s], nb, units);
    const bs = this.bs;
    const maxTokens = p.prompt[s] - 1;
    while (h > 0 && this.sharedBlocks(s, h) * bs > maxTokens) h--;
    for (let u = 0; u < h; u++) this.kv.acquire(units[u]);
    this.q.held[s] = h;
    this.q.computed[s] = this.sharedBlocks(s, h) * bs;
    this.q.room[s] = this.q.computed[s];
  }

  /** Blocks for sequence s to hold computed + n tokens; false (nothing taken) when they do not fit. */
  allocate(s: number, n: number): boolean {
    const over = this.q.computed[s] + n - this.q.room[s];
    if (over <= 0) return true;
    const need = Math.ceil(over / this.bs);
    if (!this.kv.allocate(need)) return false;
    this.q.priv[s] += need;
    this.q.room[s] += need * this.bs;
    return true;
  }

  /** Release everything sequence s holds. */
  unhold(s: number): void {
    const units = this.q.units[s];
    for (let u = this.q.held[s] - 1; u >= 0; u--) this.kv.release(units[u]);
    this.q.held[s] = 0;
    this.kv.freeBlocks(this.q.priv[s]);
    this.q.priv[s] = 0;
    this.q.room[s] = 0;
  }

  /** Cache the prefix units sequence s has now computed in full (up to c tokens of its prompt). */
  publish(s: number, c: number): void {
    const p = this.pool;
    const upto = Math.min(c, p.prompt[s]);
    const B = this.unitTokens(s);
    const ids = p.blocks[s];
    const units = this.q.unitBuffer(s, p.nBlocks[s]);
    let h = this.q.held[s];
    while (h < p.nBlocks[s] && (h + 1) * B <= upto) {
      const blocks = this.sharedBlocks(s, h + 1) - this.sharedBlocks(s, h);
      units[h] = this.kv.publish(ids[h], blocks);
      this.q.priv[s] -= blocks;
      h++;
    }
    this.q.held[s] = h;
  }
}
