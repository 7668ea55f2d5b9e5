/**
 * A simulated model's prompt cache, one of three kinds (scenario `cache:`):
 * - `none`: nothing is ever cached.
 * - `fixed`: each lookup is a hit with probability hit_rate (stream `backend/<id>/cache`); a hit serves
 *   floor(prompt_tokens × FIXED_HIT_PROMPT_SHARE) tokens from cache. Nothing is inserted.
 * - `prefix`: a PrefixLru of floor(capacity_tokens / block_tokens) blocks. The leading blocks of the
 *   attempt's prefix_blocks that are cached are hits; cached_tokens = matched blocks × block size (the
 *   attempt's block_tokens when given, else the cache's), capped at prompt_tokens. The model calls
 *   insert() when the attempt's prefill ends.
 * Lookups happen when an attempt starts service. Observed hit rate (getCacheHitRate) = an EWMA over
 * lookups of (cached_tokens > 0) with weight HIT_RATE_EWMA_ALPHA, starting from hit_rate for `fixed` and
 * 0 otherwise.
 */

import type { CacheModel } from '../../core/types.js';
import type { Rng } from '../../engine/rng.js';
import { FIXED_HIT_PROMPT_SHARE, HIT_RATE_EWMA_ALPHA } from './constants.js';
import { PrefixLru } from './prefix-lru.js';

const NONE = 0;
const FIXED = 1;
const PREFIX = 2;

export class SimCache {
  private readonly kind: number;
  private readonly hitRate: number;
  private readonly blockTokens: number;
  lru: PrefixLru | null;
  private readonly rng: Rng;
  private observed: number;
  lookups = 0;
  hits = 0;

  constructor(spec: CacheModel, rng: Rng) {
    this.rng = rng;
    if (spec.kind === 'fixed') {
      if (!(spec.hit_rate >= 0 && spec.hit_rate <= 1)) {
        throw new RangeError(`cache: hit_rate must be in [0, 1], got ${spec.hit_rate}`);
      }
      this.kind = FIXED;
      this.hitRate = spec.hit_rate;
      this.blockTokens = 0;
      this.lru = null;
    } else if (spec.kind === 'prefix') {
      if (!(spec.block_tokens > 0))
        throw new RangeError(`cache: block_tokens must be > 0, got ${spec.block_tokens}`);
      this.kind = PREFIX;
      this.hitRate = 0;
      this.blockTokens = spec.block_tokens;
      this.lru = new PrefixLru(Math.floor(spec.capacity_tokens / spec.block_tokens));
    } else {
      this.kind = NONE;
      this.hitRate = 0;
      this.blockTokens = 0;
      this.lru = null;
    }
    this.observed = this.hitRate;
  }

  /** True when prefill must be followed by insert() (prefix caches). */
  get inserts(): boolean {
    return this.kind === PREFIX;
  }

  /** Cached tokens for an attempt starting service now; updates the observed hit rate. */
  /** `blocks[0, n)` are the attempt's prefix blocks (prefix caches only). */
  lookup(prompt: number, blocks: ArrayLike<number>, n: number, blockTokens: number): number {
    let cached = 0;
    if (this.kind === FIXED) {
      if (this.rng.next() < this.hitRate) cached = Math.floor(prompt * FIXED_HIT_PROMPT_SHARE);
    } else if (this.kind === PREFIX && n > 0) {
      const m = this.lru!.match(blocks, true, n);
      cached = m * (blockTokens > 0 ? blockTokens : this.blockTokens);
      if (cached > prompt) cached = prompt;
    } else if (this.kind === NONE) {
      return 0;
    }
    const hit = cached > 0 ? 1 : 0;
    this.lookups++;
    this.hits += hit;
    this.observed += HIT_RATE_EWMA_ALPHA * (hit - this.observed);
    return cached;
  }

  insert(blocks: ArrayLike<number>, n: number): void {
    if (this.kind === PREFIX && n > 0) this.lru!.insert(blocks, n);
  }

  /** Fraction of `blocks` whose leading run is cached now (prefix caches only; 0 otherwise). No side effects. */
  prefixMatch(blocks: ArrayLike<number> | undefined): number {
    if (this.kind !== PREFIX || blocks === undefined || blocks.length === 0) return 0;
    return this.lru!.match(blocks, false) / blocks.length;
  }

  /**
   * A restart: the cache is empty (a prefix cache holds no block) and the observed hit rate starts again
   * from 0 (a `fixed` cache keeps drawing hits at hit_rate: it models no contents). Totals are kept.
   */
  reset(): void {
    if (this.lru !== null) this.lru = new PrefixLru(this.lru.capacityBlocks);
    this.observed = 0;
  }

  /** Observed hit rate, 0..1 (EWMA, see the file's header). */
  observedHitRate(): number {
    return this.observed;
  }
}
