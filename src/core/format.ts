/**
 * Numbers as people read them: the one formatting module behind every printer (summary.md, report.html,
 * compare, sweep, fidelity, check, trace stats and the CLI's summaries), so that the same figure reads the
 * same everywhere. Rules: a few significant digits, never float noise or an exponent; whole numbers and
 * anything of 1,000 or more as integers with en-US separators; a value too small for the printed precision
 * is written `<0.01` rather than a misleading 0; a missing or NaN value is `—`.
 */

/** What a table cell says when there is no value (null, undefined, NaN). */
export const NONE = '—';

/**
 * Math.round(n) with en-US thousands separators ("12,345"), exactly as toLocaleString('en-US') writes it,
 * without the cost of Intl for safe integers.
 */
export function formatCount(n: number): string {
  const r = Math.round(n);
  if (!Number.isSafeInteger(r)) return r.toLocaleString('en-US');
  const neg = r < 0 || Object.is(r, -0);
  const out = grouped(String(neg ? -r : r));
  return neg ? `-${out}` : out;
}

/** A string of digits with a comma before each group of three from the right (`12345` -> `12,345`). */
function grouped(digits: string): string {
  let out = '';
  let k = digits.length;
  while (k > 3) {
    out = `,${digits.slice(k - 3, k)}${out}`;
    k -= 3;
  }
  return digits.slice(0, k) + out;
}

/**
 * `x` to `decimals` places as `Intl.NumberFormat('en-US', { minimumFractionDigits: padded ? decimals : 0,
 * maximumFractionDigits: decimals })` writes it (format.test.ts compares the two on random doubles): like
 * Intl, it rounds the shortest decimal that reads back as x (1.005, not the double's 1.00499...) half away
 * from zero. The first Intl formatter of a process costs ~11 ms of ICU start-up, more than all the
 * formatting of a report; |x| >= 1e21 still goes through Intl.
 */
export function decimal(x: number, decimals: number, padded = false): string {
  if (!(Math.abs(x) < 1e21)) return intlFormatter(decimals, padded).format(x);
  // Intl writes -0, and a negative number that rounds to zero, as "-0".
  const neg = x < 0 || Object.is(x, -0);
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  // x = 0.<digits> * 10^(exponent + 1): keep the digits down to the 10^-decimals place, round on the next.
  const keep = Number(exponent) + 1 + decimals;
  let units = keep <= 0 ? '' : digits.slice(0, keep).padEnd(keep, '0');
  if (keep >= 0 && keep < digits.length && digits.charCodeAt(keep) >= 53) units = increment(units);
  units = units.padStart(decimals + 1, '0');
  const whole = units.slice(0, units.length - decimals);
  let frac = units.slice(units.length - decimals);
  if (!padded) {
    let end = frac.length;
    while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
    frac = frac.slice(0, end);
  }
  return `${neg ? '-' : ''}${grouped(whole.replace(/^0+(?=\d)/, ''))}${frac ? `.${frac}` : ''}`;
}

/** A string of decimal digits plus one (`'199'` -> `'200'`, `''` -> `'1'`). */
function increment(d: string): string {
  let i = d.length - 1;
  while (i >= 0 && d[i] === '9') i--;
  return i < 0
    ? `1${'0'.repeat(d.length)}`
    : `${d.slice(0, i)}${String.fromCharCode(d.charCodeAt(i) + 1)}${'0'.repeat(d.length - i - 1)}`;
}

/** Intl formatters by decimals, for what decimal() leaves to Intl (built once each: building one is costly). */
const FORMATTERS: Intl.NumberFormat[] = [];
const PADDED: Intl.NumberFormat[] = [];
function intlFormatter(decimals: number, padded: boolean): Intl.NumberFormat {
  const cache = padded ? PADDED : FORMATTERS;
  let f = cache[decimals];
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: padded ? decimals : 0,
      maximumFractionDigits: decimals,
    });
    cache[decimals] = f;
  }
  return f;
}

/** Decimals that show `sig` significant digits of `a` (> 0), within [0, maxDecimals]. */
function decimalsFor(a: number, sig: number, maxDecimals: number): number {
  const d = sig - 1 - Math.floor(Math.log10(a));
  return Math.max(0, Math.min(maxDecimals, d));
}

function special(x: number | null | undefined): string | null {
  if (x === null || x === undefined || Number.isNaN(x)) return NONE;
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  return null;
}

/** `x` rounded to `decimals` places (trailing zeros dropped), or `<0.01` when a non-zero x rounds to 0. */
function fixed(x: number, decimals: number): string {
  const s = decimal(x, decimals);
  if (x !== 0 && /^-?0$/.test(s)) return `${x < 0 ? '>-' : '<'}${decimal(10 ** -decimals, decimals)}`;
  return s === '-0' ? '0' : s;
}

/** How many digits a number gets: significant digits, and the finest decimal place worth printing. */
export interface Precision {
  sig?: number;
  maxDecimals?: number;
}

/**
 * A number for a table or a sentence: `sig` significant digits (default 3), at most `maxDecimals`
 * decimals (default 3), integers and |x| >= 10^sig whole with separators. `num(1118.5000000000036)` is
 * `1,119`, `num(0.970831)` `0.971`, `num(0.0000984)` `<0.001`.
 */
export function num(x: number | null | undefined, p: Precision = {}): string {
  const s = special(x);
  if (s !== null) return s;
  const v = x as number;
  if (v === 0) return '0';
  if (Number.isInteger(v)) return formatCount(v);
  return fixed(v, decimalsFor(Math.abs(v), p.sig ?? 3, p.maxDecimals ?? 3));
}

/** A count: rounded to a whole number, with separators (`1,670`). */
export function int(x: number | null | undefined): string {
  const s = special(x);
  return s ?? formatCount(x as number);
}

/** Latencies (ms): 4 significant digits, nothing finer than 10 µs (`1,204`, `200.5`, `20.41`, `0.52`). */
const MS: Precision = { sig: 4, maxDecimals: 2 };

/** A latency in milliseconds, without the unit (see MS). */
export function ms(x: number | null | undefined): string {
  return num(x, MS);
}

/**
 * A share of 1 as a percentage with one decimal, fixed so that a column lines up: `0.294` -> `29.4%`,
 * `1` -> `100.0%`, `0` -> `0.0%`; a non-zero share under 0.05% is `<0.1%`, never a misleading `0.0%`.
 */
export function pct(share: number | null | undefined): string {
  const s = special(share);
  if (s !== null) return s;
  const p = (share as number) * 100;
  if (p !== 0 && Math.abs(p) < 0.05) return p > 0 ? '<0.1%' : '>-0.1%';
  const t = decimal(p, 1, true);
  return `${t === '-0.0' ? '0.0' : t}%`;
}

/** Seconds (a detection delay, a time in the run): 4 significant digits, nothing finer than 1 ms (`2.539`, `30.57`). */
const SECONDS: Precision = { sig: 4, maxDecimals: 3 };

/** A duration or time in seconds, without the unit (see SECONDS). */
export function secs(x: number | null | undefined): string {
  return num(x, SECONDS);
}

/**
 * The precision that suits a unit: ms for latencies, s for seconds, one decimal for request counts, 3
 * digits otherwise.
 */
export function precisionOf(unit: string): Precision {
  if (unit === 'ms') return MS;
  if (unit === 's') return SECONDS;
  if (unit === 'requests') return { sig: 4, maxDecimals: 1 };
  return {};
}

/**
 * The unit of a report metric named by its dotted path, from the `_ms` / `_s` suffix of a segment
 * (`latency.e2e_ms.p99` and `drills.0.p99_e2e_ms.during` are ms, `drills.0.detected_after_s` s); '' else.
 */
export function unitOfPath(path: string): string {
  const segs = path.split('.');
  for (let i = segs.length - 1; i >= 0; i--) {
    if (segs[i].endsWith('_ms')) return 'ms';
    if (segs[i].endsWith('_s')) return 's';
  }
  return '';
}

/**
 * A formatter for figures known to within ±`half` (a confidence interval's half-width): every figure to
 * the decimal place of the half-width's 2nd significant digit, capped at `p.maxDecimals` (default 3).
 * Without a usable half-width (null, 0, not finite), figures get num()'s precision.
 */
export function toPrecisionOf(half: number | null, p: Precision = {}): (x: number) => string {
  if (half === null || half === 0 || special(half) !== null) return (x) => num(x, p);
  const d = decimalsFor(Math.abs(half), 2, p.maxDecimals ?? 3);
  const zero = decimal(0, d, true);
  return (x) => {
    const s = special(x);
    if (s !== null) return s;
    const t = decimal(x, d, true);
    return t === `-${zero}` ? zero : t;
  };
}

/**
 * `mean ± half` (a confidence interval), both to the half-width's precision (toPrecisionOf): `1,204 ± 57`,
 * `0.970 ± 0.012`; a half-width too small for `p.maxDecimals` is `<0.01`. Null or 0: the mean alone.
 */
export function plusMinus(mean: number, half: number | null, p: Precision = {}): string {
  if (half === null || half === 0 || special(half) !== null) return num(mean, p);
  const f = toPrecisionOf(half, p);
  const h = f(Math.abs(half));
  return `${f(mean)} ± ${/^[0.]+$/.test(h) ? fixed(Math.abs(half), decimalsFor(Math.abs(half), 2, p.maxDecimals ?? 3)) : h}`;
}

/** `+12.5`, `-3`, `0`: a difference with its sign, formatted by `format`. */
export function signed(x: number, format: (v: number) => string = (v) => num(v)): string {
  const s = format(x);
  return x > 0 && !s.startsWith('+') ? `+${s}` : s;
}

/**
 * `x` printed beside a threshold `ref` it was compared with: as num() with precision `p` (a metric's unit,
 * precisionOf), with more significant digits when the two would otherwise print the same though they
 * differ (`actual 21.0004` against `<= 21`).
 */
export function numBeside(x: number | null | undefined, ref: number, p: Precision = {}): string {
  const s = num(x, p);
  if (x === null || x === undefined || x === ref || s !== num(ref, p)) return s;
  for (let sig = (p.sig ?? 3) + 1; sig <= 15; sig++) {
    const p = { sig, maxDecimals: 15 };
    if (num(x, p) !== num(ref, p)) return num(x, p);
  }
  return s;
}

/** `x` rounded to `decimals` places, for numbers written into files (no float noise like 98.18899999999985). */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** Decimal places of the numbers routesim writes into JSON files (report.json, compare.json, sweep.json...). */
export const JSON_DECIMALS = 6;

/**
 * Every non-integer finite number in a JSON-like value (arrays and plain objects, key order kept) rounded
 * to `decimals` places; integers, infinities and NaN unchanged. For JSON a user reads or diffs.
 */
export function roundDeep(v: unknown, decimals: number): unknown {
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? v : roundTo(v, decimals);
  if (Array.isArray(v)) return v.map((x) => roundDeep(x, decimals));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[k] = roundDeep(val, decimals);
    return out;
  }
  return v;
}
