/**
 * The ranking that `compare` and `sweep` print: one line per variant, names aligned, each figure as
 * compare.md and sweep.md write it (the caller formats it with fmtMean), so that the terminal and the
 * files agree (sweep printed `14500` where sweep.md said `14,496 ± 1,626`).
 */

/** `   1. least_loaded         14,522 ± 411` lines, in the order given. */
export function rankingLines(rows: readonly { rank: number; variant: string; figure: string }[]): string {
  const width = Math.max(20, ...rows.map((r) => r.variant.length + 1));
  return rows
    .map((r) => `  ${String(r.rank).padStart(2)}. ${r.variant.padEnd(width)} ${r.figure}\n`)
    .join('');
}

/** `1 variant`, `3 variants`. */
export function counted(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
