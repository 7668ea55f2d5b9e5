/**
 * Numeric command-line flags, declared to yargs as strings and parsed here, so that a mistake is reported
 * as typed (`--rel-tol must be a number >= 0, got 'abc'`) rather than as yargs's NaN.
 */
import { UserError } from '../core/errors.js';

/** What a flag accepts. */
export type NumberRule = 'integer' | 'positive-integer' | 'non-negative' | 'positive';

const WANT: Record<NumberRule, string> = {
  integer: 'an integer',
  'positive-integer': 'a positive integer',
  'non-negative': 'a number >= 0',
  positive: 'a number > 0',
};

/**
 * The flag's value as a number (undefined when the flag is absent). `value` is the text yargs kept, or a
 * number (defaults, tests). Throws UserError (exit 2) naming the flag and the value as typed when it is not
 * a finite number obeying `rule`.
 */
export function numberFlag(
  flag: string,
  value: string | number | undefined,
  rule: NumberRule,
): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const v = typeof value === 'number' ? value : text === '' ? Number.NaN : Number(text);
  const ok =
    Number.isFinite(v) &&
    (rule === 'integer'
      ? Number.isInteger(v)
      : rule === 'positive-integer'
        ? Number.isInteger(v) && v >= 1
        : rule === 'non-negative'
          ? v >= 0
          : v > 0);
  if (!ok) throw new UserError(`${flag} must be ${WANT[rule]}, got '${value}'`);
  return v;
}
