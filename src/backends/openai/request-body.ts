/**
 * The request a live replay sends for one attempt: a prompt of about `prompt_tokens` tokens (a word per
 * token: tokenizers differ, and the server's `usage.prompt_tokens` says what it really was), exactly
 * `output_tokens` to generate — `max_tokens`, plus the hints servers accept for not stopping early
 * (vLLM and SGLang `ignore_eos` and `min_tokens`, llama.cpp `n_predict`; servers ignore fields they do not
 * know, and hosted APIs that refuse them can be told to leave them out) — streamed, with usage asked for.
 */
import type { OpenAIApi } from './client.js';

/** Words of the filler prompt; short, common English words (one token each in the usual tokenizers). */
const WORDS = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'a', 'lazy', 'dog', 'and', 'runs', 'far'];

/** `n` words (at least 1), starting at word `offset` so that different attempts do not share a prefix. */
export function fillerPrompt(n: number, offset = 0): string {
  const count = Math.max(1, Math.floor(n));
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = WORDS[(offset + i) % WORDS.length];
  return out.join(' ');
}

export interface AttemptBodyOptions {
  api: OpenAIApi;
  /** The `model` field. */
  model: string;
  prompt_tokens: number;
  output_tokens: number;
  /** Shifts the filler words (e.g. the attempt id), so prompts differ. */
  offset?: number;
  /** false: send only standard OpenAI fields (no ignore_eos, min_tokens, n_predict). Default true. */
  hints?: boolean;
}

/** The JSON body of one streamed attempt. */
export function attemptBody(o: AttemptBodyOptions): Record<string, unknown> {
  const prompt = fillerPrompt(o.prompt_tokens, o.offset ?? 0);
  const max = Math.max(1, Math.floor(o.output_tokens));
  return {
    model: o.model,
    ...(o.api === 'chat' ? { messages: [{ role: 'user', content: prompt }] } : { prompt }),
    max_tokens: max,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
    ...(o.hints === false ? {} : { ignore_eos: true, min_tokens: max, n_predict: max }),
  };
}
