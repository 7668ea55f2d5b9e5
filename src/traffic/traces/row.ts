/**
 * The parser side of a trace format: one header line (maybe), then one record per data line. A parser
 * throws RowError for a line it cannot read; the reader turns that into a positioned UserError or a skip.
 */
import type { ArrivalRecord } from '../source.js';

export class RowError extends Error {
  /** 1-based column of the offending field (1 when unknown). */
  constructor(
    message: string,
    readonly column = 1,
  ) {
    super(message);
    this.name = 'RowError';
  }
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
}

/** A whole number >= 0 from a field, or a RowError naming the field. */
export function count(value: string | undefined, name: string, column: number): number {
  const v = value === undefined ? Number.NaN : Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(v) || v < 0) {
    throw new RowError(`${name} must be a whole number >= 0, got '${value ?? ''}'`, column);
  }
  return v;
}

/** A finite number from a field, or a RowError naming the field. */
export function finite(value: string | undefined, name: string, column: number): number {
  const v = value === undefined ? Number.NaN : Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(v)) {
    throw new RowError(`${name} must be a number, got '${value ?? ''}'`, column);
  }
  return v;
}
