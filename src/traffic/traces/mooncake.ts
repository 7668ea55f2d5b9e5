/**
 * Mooncake trace (kvcache-ai, FAST'25): JSONL `{timestamp, input_length, output_length, hash_ids}`,
 * timestamp in ms from the trace start, hash_ids the prompt's 512-token prefix blocks (equal ids, equal
 * content). Times become ms after the first row; hash_ids -> prefix_blocks with block_tokens 512.
 */
import { count, RowError, type RowParser } from './row.js';

const MOONCAKE_BLOCK_TOKENS = 512;

export function mooncakeParser(): RowParser {
  return {
    rebase: true,
    header: () => false,
    parse(line) {
      const o = parseObject(line);
      const t = o.timestamp;
      if (typeof t !== 'number' || !Number.isFinite(t)) {
        throw new RowError(`timestamp must be a number, got ${JSON.stringify(t)}`, 'timestamp');
      }
      const ids = o.hash_ids;
      if (ids !== undefined && !(Array.isArray(ids) && ids.every((x) => Number.isInteger(x)))) {
        throw new RowError('hash_ids must be an array of integers', 'hash_ids');
      }
      const rec = {
        t_ms: t,
        prompt_tokens: count(numText(o.input_length), 'input_length', 'input_length'),
        output_tokens: count(numText(o.output_length), 'output_length', 'output_length'),
        prefix_blocks: (ids ?? []) as number[],
        block_tokens: MOONCAKE_BLOCK_TOKENS,
      };
      return rec;
    },
  };
}

/** A JSON object from a line, or a RowError. */
export function parseObject(line: string): Record<string, unknown> {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (err) {
    throw new RowError(`not valid JSON: ${(err as Error).message}`);
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new RowError('expected a JSON object');
  return o as Record<string, unknown>;
}

/** A JSON value as the text `count` checks (numbers only; anything else fails its check). */
export function numText(v: unknown): string | undefined {
  return typeof v === 'number' ? String(v) : v === undefined ? undefined : `${JSON.stringify(v)}`;
}
