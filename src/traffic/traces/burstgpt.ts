/**
 * BurstGPT trace: CSV `Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type`, Timestamp in
 * seconds from the trace start. Times become ms after the first row; Request tokens -> prompt_tokens,
 * Response tokens -> output_tokens (0 = a failed request in the original service, kept as is); Model ->
 * preferred_model; Log Type -> tag `log:<value>`; a `Session ID` / `Conversation ID` column, when present,
 * -> session_id. Columns are found by header name, so extra or reordered columns are fine.
 */
import type { ArrivalRecord } from '../source.js';
import { headerIndex, splitCsv } from './csv-split.js';
import { count, finite, RowError, type RowParser } from './row.js';

export function burstgptParser(): RowParser {
  let ti = -1;
  let pi = -1;
  let oi = -1;
  let mi = -1;
  let li = -1;
  let si = -1;
  return {
    rebase: true,
    header(line) {
      const h = splitCsv(line);
      ti = headerIndex(h, 'Timestamp') - 1;
      pi = headerIndex(h, 'Request tokens') - 1;
      oi = headerIndex(h, 'Response tokens') - 1;
      if (ti < 0 || pi < 0 || oi < 0) {
        throw new RowError(`expected Timestamp, Request tokens and Response tokens columns, got '${line}'`);
      }
      mi = headerIndex(h, 'Model') - 1;
      li = headerIndex(h, 'Log Type') - 1;
      si = headerIndex(h, 'Session ID', 'SessionID', 'Conversation ID') - 1;
      return true;
    },
    parse(line) {
      const f = splitCsv(line);
      const rec: ArrivalRecord = {
        t_ms: finite(f[ti], 'Timestamp', ti + 1) * 1000,
        prompt_tokens: count(f[pi], 'Request tokens', pi + 1),
        output_tokens: count(f[oi], 'Response tokens', oi + 1),
      };
      if (mi >= 0 && f[mi]) rec.preferred_model = f[mi];
      if (li >= 0 && f[li]) rec.tags = [`log:${f[li]}`];
      if (si >= 0 && f[si]) rec.session_id = f[si];
      return rec;
    },
  };
}
