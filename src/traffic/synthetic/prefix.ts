/**
 * Prefix blocks of generated prompts, the way a KV cache sees them: a prompt of P tokens is ceil(P / B)
 * blocks of B tokens; equal ids mean equal content. A turn's prompt repeats the previous turn's prompt and
 * answer, so it keeps the previous prompt's FULL blocks (their content is unchanged) and gets fresh ids for
 * the rest: the previous partial last block now has more tokens in it, hence new content.
 */

/** Hands out fresh block ids, counting up from `first`. */
export class BlockIds {
  constructor(private nextId = 0) {}
  fresh(): number {
    return this.nextId++;
  }
}

/**
 * Blocks of a prompt of `prompt` tokens that extends a previous prompt of `prevPrompt` tokens whose blocks
 * were `prev`. Returns a new array (records keep it). Requires prompt >= prevPrompt.
 */
export function extendBlocks(
  prev: readonly number[],
  prevPrompt: number,
  prompt: number,
  blockTokens: number,
  ids: BlockIds,
): number[] {
  const keep = Math.min(Math.floor(prevPrompt / blockTokens), prev.length);
  const total = Math.ceil(prompt / blockTokens);
  const out = new Array<number>(total);
  for (let i = 0; i < keep; i++) out[i] = prev[i];
  for (let i = keep; i < total; i++) out[i] = ids.fresh();
  return out;
}
