/**
 * The parser side of a trace format: one header line (maybe), then one record per data line. A parser
 * throws RowError for a line it cannot read; the reader turns that into a positioned UserError or a skip.
 */
import type { ArrivalRecord } from '../source.js';

export class RowError extends Error {
  /**
   * Where the offending value is: a 1-based field number (CSV formats), a JSON key (JSONL formats), or 0
   * when unknown. The reader turns it into a character column with `charColumn`, on the error path only.
   */
  constructor(
    message: string,
    readonly at: number | string = 0,
  ) {
    super(message);
    this.name = 'RowError';
  }
}

/**
 * The 1-based character column in `line` of a RowError's `at`: the first character of field `at` (quotes
 * respected) for a number, the first character of key `at`'s value for a string, 1 when not found.
 */
export function charColumn(line: string, at: number | string, delimiter = ','): number {
  if (typeof at === 'string') return jsonValueColumn(line, at);
  if (at <= 1) return 1;
  let field = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter && ++field === at) return i + 2;
  }
  return 1;
}

function jsonValueColumn(line: string, key: string): number {
  const quotedKey = JSON.stringify(key);
  for (let i = line.indexOf(quotedKey); i !== -1; i = line.indexOf(quotedKey, i + 1)) {
    let j = i + quotedKey.length;
    while (line[j] === ' ' || line[j] === '\t') j++;
    if (line[j] !== ':') continue;
    j++;
    while (line[j] === ' ' || line[j] === '\t') j++;
    return j + 1;
  }
  return 1;
}

export interface RowParser {
  /**
   * Given the first non-blank line: true if it was a header (consumed), false if it is data. Throws
   * RowError for a header this format cannot use (always fatal, whatever on_bad_row says).
   */
  header(line: string): boolean;
  /** One data line to a fresh record, t_ms in the format's own time base (ms). Throws RowError. */
  parse(line: string): ArrivalRecord;
  /** True when times are shifted so that the first row is at t = 0 (every format but native). */
  readonly rebase: boolean;
  /** Field delimiter of a CSV format (',' when left out), for turning a field number into a column. */
  readonly delimiter?: string;
}

/** A whole number >= 0 from a field, or a RowError naming the field (`at`: field number or JSON key). */
export function count(value: string | undefined, name: string, at: number | string): number {
  const v = value === undefined ? Number.NaN : Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(v) || v < 0) {
    throw new RowError(`${name} must be a whole number >= 0, got '${value ?? ''}'`, at);
  }
  return v;
}

/** A finite number from a field, or a RowError naming the field (`at`: field number or JSON key). */
export function finite(value: string | undefined, name: string, at: number | string): number {
  const v = value === undefined ? Number.NaN : Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(v)) {
    throw new RowError(`${name} must be a number, got '${value ?? ''}'`, at);
  }
  return v;
}
