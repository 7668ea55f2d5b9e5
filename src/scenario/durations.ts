/**
 * Durations and rates as users write them, normalised to the units used inside the code: milliseconds and
 * requests per second. Parsers return a result instead of throwing, so the loader can report every problem
 * with its position.
 */

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const RATE_PER_S: Record<string, number> = {
  s: 1,
  sec: 1,
  m: 1 / 60,
  min: 1 / 60,
  h: 1 / 3600,
  d: 1 / 86_400,
};

const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?`;
const DURATION_PART = new RegExp(String.raw`(${NUMBER})\s*(ms|min|s|m|h|d)`, 'gy');
const NUMBER_ONLY = new RegExp(`^${NUMBER}$`);
const RATE = new RegExp(String.raw`^(${NUMBER})\s*/\s*(s|sec|min|m|h|d)$`);

export const DURATION_HINT = 'expected a duration like 250ms, 30s, 5m, 1h (a bare number is seconds)';
export const RATE_HINT = 'expected a rate like 12/s, 600/m, 3600/h (a bare number is per second)';

/**
 * `250ms`, `30s`, `5m`, `1h`, `1.5s`, `1h30m`, or a number of seconds -> milliseconds.
 * Negative, non-finite and unit-less-but-unknown inputs are errors.
 */
export function parseDuration(input: unknown): Parsed {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: `${DURATION_HINT}, got ${input}` };
    if (input < 0) return { ok: false, message: `a duration cannot be negative, got ${input}` };
    return { ok: true, value: input * 1000 };
  }
  if (typeof input !== 'string') return { ok: false, message: `${DURATION_HINT}, got ${describe(input)}` };
  const s = input.trim().toLowerCase();
  if (s.startsWith('-')) return { ok: false, message: `a duration cannot be negative, got "${input}"` };
  if (NUMBER_ONLY.test(s)) return { ok: true, value: Number(s) * 1000 };
  let total = 0;
  let at = 0;
  DURATION_PART.lastIndex = 0;
  while (at < s.length) {
    DURATION_PART.lastIndex = at;
    const m = DURATION_PART.exec(s);
    if (!m) return { ok: false, message: `${DURATION_HINT}, got "${input}"` };
    total += Number(m[1]) * DURATION_UNITS_MS[m[2]];
    at = DURATION_PART.lastIndex;
    while (s[at] === ' ') at++;
  }
  if (s.length === 0) return { ok: false, message: `${DURATION_HINT}, got an empty string` };
  return { ok: true, value: total };
}

/** `12/s`, `600/m`, `3600/h`, or a number per second -> requests per second. Negative is an error. */
export function parseRate(input: unknown): Parsed {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: `${RATE_HINT}, got ${input}` };
    if (input < 0) return { ok: false, message: `a rate cannot be negative, got ${input}` };
    return { ok: true, value: input };
  }
  if (typeof input !== 'string') return { ok: false, message: `${RATE_HINT}, got ${describe(input)}` };
  const s = input.trim().toLowerCase();
  if (s.startsWith('-')) return { ok: false, message: `a rate cannot be negative, got "${input}"` };
  if (NUMBER_ONLY.test(s)) return { ok: true, value: Number(s) };
  const m = RATE.exec(s);
  if (!m) return { ok: false, message: `${RATE_HINT}, got "${input}"` };
  return { ok: true, value: Number(m[1]) * RATE_PER_S[m[2]] };
}

/** A value as it appears in messages: `string "abc"`, `boolean true`, `a list`, `a mapping`. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}
