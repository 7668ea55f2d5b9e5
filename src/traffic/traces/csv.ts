/**
 * Generic CSV with a column mapping (TraceTraffic.columns), for traces in no known format. The mapping's
 * keys are the record's fields, each naming a header column (short aliases in brackets):
 *   timestamp [time] (required), prompt_tokens [prompt] (required), output_tokens [output] (required),
 *   session_id [session], preferred_model [model], tenant, priority, tags (values split on `|`);
 * and two settings: time_unit = s (default) | ms | us | ns | datetime (`YYYY-MM-DD HH:MM:SS.fff`), and
 * delimiter (`,` default; `tab` for tabs). Times become ms after the first row. The header line is required.
 */
import { UserError } from '../../core/errors.js';
import type { ArrivalRecord } from '../source.js';
import { headerIndex, splitCsv } from './csv-split.js';
import { count, finite, RowError, type RowParser } from './row.js';
import { WallClockBase } from './timestamp.js';

const UNIT_MS: Record<string, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };
const ALIASES: Record<string, string> = {
  time: 'timestamp',
  prompt: 'prompt_tokens',
  output: 'output_tokens',
  session: 'session_id',
  model: 'preferred_model',
};
const FIELDS = [
  'timestamp',
  'prompt_tokens',
  'output_tokens',
  'session_id',
  'preferred_model',
  'tenant',
  'priority',
  'tags',
];
const SETTINGS = ['time_unit', 'delimiter'];
const REQUIRED = ['timestamp', 'prompt_tokens', 'output_tokens'];

/** Throws UserError (naming `file`) for a mapping with unknown keys, missing keys or a bad unit. */
export function csvParser(columns: Record<string, string> | null, file: string): RowParser {
  const problems: string[] = [];
  const map: Record<string, string> = {};
  for (const [k, v] of Object.entries(columns ?? {})) {
    const key = ALIASES[k] ?? k;
    if (!FIELDS.includes(key) && !SETTINGS.includes(key)) {
      problems.push(`unknown key '${k}' (known: ${[...FIELDS, ...SETTINGS].join(', ')})`);
    } else map[key] = v;
  }
  for (const k of REQUIRED) if (!map[k]) problems.push(`'${k}' is required`);
  const unit = map.time_unit ?? 's';
  if (unit !== 'datetime' && !(unit in UNIT_MS))
    problems.push(`time_unit must be s, ms, us, ns or datetime, got '${unit}'`);
  if (problems.length > 0) {
    throw new UserError(`format csv needs a column mapping (traffic.columns): ${problems.join('; ')}`, [
      ...problems.map((message) => ({ file, line: 0, column: 0, message })),
    ]);
  }
  const delimiter = map.delimiter === 'tab' ? '\t' : (map.delimiter ?? ',');
  const idx: Record<string, number> = {};
  const clock = new WallClockBase();
  return {
    rebase: true,
    delimiter,
    header(line) {
      const h = splitCsv(line, delimiter);
      const missing: string[] = [];
      for (const k of FIELDS) {
        if (!map[k]) continue;
        idx[k] = headerIndex(h, map[k]) - 1;
        if (idx[k] < 0) missing.push(`${k} column '${map[k]}'`);
      }
      if (missing.length > 0) throw new RowError(`header has no ${missing.join(', ')}: '${line}'`);
      return true;
    },
    parse(line) {
      const f = splitCsv(line, delimiter);
      const ti = idx.timestamp;
      let t: number;
      if (unit === 'datetime') {
        t = clock.ms(f[ti] ?? '');
        if (Number.isNaN(t))
          throw new RowError(`${map.timestamp} must be a date-time, got '${f[ti] ?? ''}'`, ti + 1);
      } else t = finite(f[ti], map.timestamp, ti + 1) * UNIT_MS[unit];
      const rec: ArrivalRecord = {
        t_ms: t,
        prompt_tokens: count(f[idx.prompt_tokens], map.prompt_tokens, idx.prompt_tokens + 1),
        output_tokens: count(f[idx.output_tokens], map.output_tokens, idx.output_tokens + 1),
      };
      if (idx.session_id !== undefined && f[idx.session_id]) rec.session_id = f[idx.session_id];
      if (idx.preferred_model !== undefined && f[idx.preferred_model])
        rec.preferred_model = f[idx.preferred_model];
      if (idx.tenant !== undefined && f[idx.tenant]) rec.tenant = f[idx.tenant];
      if (idx.priority !== undefined && f[idx.priority])
        rec.priority = finite(f[idx.priority], map.priority, idx.priority + 1);
      if (idx.tags !== undefined && f[idx.tags]) rec.tags = f[idx.tags].split('|');
      return rec;
    },
  };
}
