/**
 * Wall-clock timestamps parsed by hand: `YYYY-MM-DD HH:MM:SS[.fraction]` (a space or `T`, any number of
 * fractional digits, an optional trailing `Z`; no other zone). JavaScript's Date rejects the Azure trace's 7
 * fractional digits, and would read a zoneless time as local time; here it is always UTC, which does not
 * matter because traces are made relative to their first row. Parsing is by character position (no regex,
 * no allocation), with the day's epoch ms cached, because it runs once per row.
 */

let cachedDayKey = -1;
let cachedDayMs = 0;
/** Set by split(): the whole-second epoch ms and the fraction in ms of the last text parsed. */
let wholeMs = 0;
let fracMs = 0;

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(at + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function dayMs(y: number, mo: number, d: number): number {
  const key = y * 10_000 + mo * 100 + d;
  if (key !== cachedDayKey) {
    const ms = Date.UTC(y, mo - 1, d);
    if (new Date(ms).getUTCDate() !== d) return Number.NaN;
    cachedDayKey = key;
    cachedDayMs = ms;
  }
  return cachedDayMs;
}

/** Parses into wholeMs / fracMs; false when the text is not such a timestamp. */
function split(text: string): boolean {
  let s = text;
  if (s.length > 0 && (s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32)) s = s.trim();
  let end = s.length;
  if (end > 0 && s.charCodeAt(end - 1) === 90) end--; // Z
  if (end < 19) return false;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 32 && sep !== 84)) return false;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (
    y < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > 31 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 60
  ) {
    return false;
  }
  const day = dayMs(y, mo, d);
  if (Number.isNaN(day)) return false;
  wholeMs = day + h * 3_600_000 + mi * 60_000 + sec * 1000;
  fracMs = 0;
  if (end > 19) {
    if (s.charCodeAt(19) !== 46 || end === 20) return false; // '.' then at least one digit
    const n = end - 20;
    const f = digits(s, 20, n);
    if (f < 0) return false;
    fracMs = f / 10 ** (n - 3);
  }
  return true;
}

/** Milliseconds since the Unix epoch, or NaN when the text is not such a timestamp. */
export function parseWallClock(text: string): number {
  return split(text) ? wholeMs + fracMs : Number.NaN;
}

/**
 * Wall-clock times as ms relative to the whole second of the first one parsed, so that the 7th fractional
 * digit survives (epoch ms in a double keep only ~4 fractional digits of a ms). NaN for unparseable text.
 */
export class WallClockBase {
  private base = Number.NaN;

  ms(text: string): number {
    if (!split(text)) return Number.NaN;
    if (Number.isNaN(this.base)) this.base = wholeMs;
    return wholeMs - this.base + fracMs;
  }
}
