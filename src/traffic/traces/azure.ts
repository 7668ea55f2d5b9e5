/**
 * Azure LLM inference trace (Azure Public Dataset, 2023): CSV `TIMESTAMP,ContextTokens,GeneratedTokens`,
 * CRLF line ends, TIMESTAMP a zoneless wall clock with 7 fractional digits. Times become ms after the first
 * row; ContextTokens -> prompt_tokens, GeneratedTokens -> output_tokens.
 */
import { headerIndex, splitCsv } from './csv-split.js';
import { count, RowError, type RowParser } from './row.js';
import { WallClockBase } from './timestamp.js';

export function azureParser(): RowParser {
  let ti = 0;
  let pi = 1;
  let oi = 2;
  const clock = new WallClockBase();
  return {
    rebase: true,
    header(line) {
      const h = splitCsv(line);
      const t = headerIndex(h, 'TIMESTAMP');
      const p = headerIndex(h, 'ContextTokens');
      const o = headerIndex(h, 'GeneratedTokens');
      if (t === 0 && p === 0 && o === 0) return false;
      if (t === 0 || p === 0 || o === 0) {
        throw new RowError(`expected TIMESTAMP,ContextTokens,GeneratedTokens, got '${line}'`);
      }
      ti = t - 1;
      pi = p - 1;
      oi = o - 1;
      return true;
    },
    parse(line) {
      const f = splitCsv(line);
      const t = clock.ms(f[ti] ?? '');
      if (Number.isNaN(t)) {
        throw new RowError(
          `TIMESTAMP must look like 2023-11-16 18:17:03.9799600, got '${f[ti] ?? ''}'`,
          ti + 1,
        );
      }
      return {
        t_ms: t,
        prompt_tokens: count(f[pi], 'ContextTokens', pi + 1),
        output_tokens: count(f[oi], 'GeneratedTokens', oi + 1),
      };
    },
  };
}
