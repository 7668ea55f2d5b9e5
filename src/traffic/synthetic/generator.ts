/**
 * The synthetic request source. Arrivals come from the arrival process; lengths from the token
 * distributions; with sessions, each arrival of the process STARTS a conversation of a session picked by
 * popularity, and its later turns are scheduled think_time after the previous turn's ARRIVAL (open loop:
 * the source cannot see completions, it stays a pull-based stream). Turn k's prompt is the previous
 * prompt + the previous answer + new tokens, and its prefix blocks keep the previous prompt's full blocks,
 * so prefix sharing and session affinity come out of the traffic.
 *
 * With sessions the process runs at rate / E[turns], so that `arrivals.rate` stays the mean rate of
 * REQUESTS (E[turns] is estimated once from 20,000 seeded draws of the turns distribution). Two
 * conversations of the same session may overlap; each keeps its own history.
 *
 * Randomness: arrival times from `arrivals`; prompt and output lengths from `sizes`; session picks, turns
 * and think times from `sessions`. Stops after `requests` records or at the horizon, whichever is first.
 *
 * next() returns the same record object every time, overwritten (RequestSource allows it; one object per
 * request was a third of what a simulation allocated per request): callers copy what they keep. Its
 * prefix_blocks array is fresh per record and may be kept.
 */

import type { Sampler } from '../../core/distributions/kind.js';
import { type Distribution, makeSampler } from '../../core/distributions/kinds.js';
import { MAX_TOKENS } from '../../core/limits.js';
import type { SyntheticTraffic } from '../../core/types.js';
import { type Rng, SeededRng } from '../../engine/rng.js';
import { MinHeap } from '../min-heap.js';
import type { ArrivalRecord, RequestSource } from '../source.js';
import { tokenCount } from './lengths.js';
import { type Popularity, uniformPopularity, zipfPopularity } from './popularity.js';
import { BlockIds, extendBlocks } from './prefix.js';
import { makeArrivalProcess } from './process.js';

const DEFAULT_BLOCK_TOKENS = 512;

/** Streams a synthetic source draws from, by purpose. */
export interface SyntheticRngs {
  arrivals: Rng;
  sizes: Rng;
  sessions: Rng;
}

interface Conversation {
  session: string;
  /** Turns still to send after the one scheduled. */
  turnsLeft: number;
  prompt: number;
  output: number;
  blocks: readonly number[];
}

/** Throws RangeError on parameters that make no sense (the loader validates first). */
export class SyntheticSource implements RequestSource {
  readonly skipped = 0;
  /** Records returned so far. */
  emitted = 0;
  private readonly process;
  private nextStart: number;
  private readonly prompt;
  private readonly output;
  private readonly blockTokens: number;
  private readonly sharedTokens: number;
  private readonly sharedBlocks: number[];
  private readonly ids: BlockIds;
  private readonly withBlocks: boolean;
  private readonly popularity: Popularity | null;
  private readonly turns: Sampler | null;
  private readonly think: Sampler | null;
  private readonly pending = new MinHeap<Conversation>();
  /** The record next() returns, overwritten each call; every field present, so one hidden class. */
  private readonly rec: ArrivalRecord = {
    t_ms: 0,
    prompt_tokens: 0,
    output_tokens: 0,
    session_id: undefined,
    prefix_blocks: undefined,
    block_tokens: undefined,
    tenant: undefined,
  };

  constructor(
    private readonly spec: SyntheticTraffic,
    private readonly rngs: SyntheticRngs,
    private readonly horizonMs: number,
    tenant?: string,
  ) {
    const s = spec.sessions;
    this.turns = s ? roundedAtLeastOne(s.turns) : null;
    this.think = s ? makeSampler(s.think_time_ms) : null;
    this.popularity = s
      ? s.popularity === 'zipf'
        ? zipfPopularity(s.count, s.zipf_s)
        : uniformPopularity(s.count)
      : null;
    const scale = s ? 1 / expectedTurns(s.turns) : 1;
    this.process = makeArrivalProcess(spec.arrivals, rngs.arrivals, scale);
    this.nextStart = this.process.next();
    this.prompt = makeSampler(spec.prompt_tokens);
    this.output = makeSampler(spec.output_tokens);
    this.blockTokens = spec.block_tokens ?? DEFAULT_BLOCK_TOKENS;
    if (!(this.blockTokens >= 1)) throw new RangeError(`traffic: block_tokens must be >= 1`);
    this.sharedTokens = spec.shared_prefix_tokens ?? 0;
    const nShared = Math.floor(this.sharedTokens / this.blockTokens);
    this.sharedBlocks = Array.from({ length: nShared }, (_, i) => i);
    this.ids = new BlockIds(nShared);
    this.withBlocks = s !== null || this.sharedTokens > 0;
    this.rec.tenant = tenant;
  }

  next(): ArrivalRecord | null {
    if (this.emitted >= this.spec.requests) return null;
    // Follow-up turns exist only with sessions (size first: peekTime of an empty heap returns Infinity,
    // a double that a call not inlined boxes).
    if (this.pending.size > 0) {
      const followUp = this.pending.peekTime();
      if (followUp < this.nextStart) {
        if (followUp >= this.horizonMs) return null;
        const c = this.pending.pop() as Conversation;
        return this.turn(followUp, c);
      }
    }
    const t = this.nextStart;
    if (t >= this.horizonMs) return null;
    this.nextStart = this.process.next();
    if (this.popularity === null) {
      // The time goes through the record, not an argument: a double passed to a call is boxed.
      this.rec.t_ms = t;
      return this.single();
    }
    const c: Conversation = {
      session: `s${this.popularity.pick(this.rngs.sessions)}`,
      turnsLeft: (this.turns as Sampler)(this.rngs.sessions) - 1,
      prompt: this.sharedTokens,
      output: 0,
      blocks: this.sharedBlocks,
    };
    return this.turn(t, c);
  }

  /** The next record without sessions; its time is already in rec.t_ms. */
  private single(): ArrivalRecord {
    const fresh = tokenCount(this.prompt(this.rngs.sizes));
    const rec = this.rec;
    rec.prompt_tokens = this.sharedTokens + fresh;
    rec.output_tokens = tokenCount(this.output(this.rngs.sizes));
    if (this.withBlocks) {
      rec.prefix_blocks = extendBlocks(
        this.sharedBlocks,
        this.sharedTokens,
        rec.prompt_tokens,
        this.blockTokens,
        this.ids,
      );
      rec.block_tokens = this.blockTokens;
    }
    rec.session_id = undefined;
    this.emitted++;
    return rec;
  }

  /** Emit conversation c's next turn at time t and schedule the one after. */
  private turn(t: number, c: Conversation): ArrivalRecord {
    // A conversation's context stops growing at MAX_TOKENS (no model reads more; memory stays bounded).
    const prompt = Math.min(MAX_TOKENS, c.prompt + c.output + tokenCount(this.prompt(this.rngs.sizes)));
    const output = tokenCount(this.output(this.rngs.sizes));
    const blocks = extendBlocks(c.blocks, c.prompt, prompt, this.blockTokens, this.ids);
    const rec = this.rec;
    rec.t_ms = t;
    rec.prompt_tokens = prompt;
    rec.output_tokens = output;
    rec.session_id = c.session;
    rec.prefix_blocks = blocks;
    rec.block_tokens = this.blockTokens;
    this.emitted++;
    if (c.turnsLeft > 0) {
      c.turnsLeft--;
      c.prompt = prompt;
      c.output = output;
      c.blocks = blocks;
      this.pending.push(t + (this.think as Sampler)(this.rngs.sessions), c);
    }
    return rec;
  }
}

function roundedAtLeastOne(d: Distribution): Sampler {
  const s = makeSampler(d);
  return (rng) => Math.max(1, Math.round(s(rng)));
}

/** E[max(1, round(turns))], from 20,000 draws of a fixed private stream (deterministic, exact for fixed). */
export function expectedTurns(d: Distribution): number {
  if (d.dist === 'fixed') return Math.max(1, Math.round(d.value));
  const s = roundedAtLeastOne(d);
  const rng = new SeededRng('routesim/expected-turns');
  let sum = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) sum += s(rng);
  return sum / n;
}
