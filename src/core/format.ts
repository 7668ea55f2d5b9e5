/** Number formatting shared by every layer's text output (router status, trace stats, summary.md). */

/**
 * Math.round(n) with en-US thousands separators ("12,345"), exactly as toLocaleString('en-US') writes it,
 * without the cost of Intl for safe integers.
 */
export function formatCount(n: number): string {
  const r = Math.round(n);
  if (!Number.isSafeInteger(r)) return r.toLocaleString('en-US');
  const neg = r < 0 || Object.is(r, -0);
  const digits = String(neg ? -r : r);
  let out = '';
  let k = digits.length;
  while (k > 3) {
    out = `,${digits.slice(k - 3, k)}${out}`;
    k -= 3;
  }
  out = digits.slice(0, k) + out;
  return neg ? `-${out}` : out;
}
