/**
 * "Did you mean" suggestions: the closest allowed word by edit distance, when it is close enough that a
 * typo is the likely story.
 */

/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `word` (case-insensitive): the shortest one that `word` begins (3+ letters),
 * else the nearest by edit distance within max(2, a third of the word's length) edits and fewer than
 * its length; ties go to the
 * earlier candidate. Undefined when nothing is close.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const list = [...candidates];
  // A truncated word (`balance.jain`, `llama`) means the shortest candidate it begins.
  if (w.length >= 3) {
    const prefixed = list.filter((c) => c.toLowerCase().startsWith(w) && c.length > w.length);
    if (prefixed.length) return prefixed.reduce((a, b) => (b.length < a.length ? b : a));
  }
  const limit = Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of list) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  // Replacing every letter is not a typo ('b' is not a misspelt 'a').
  return bestD <= limit && bestD < w.length ? best : undefined;
}

/** "did you mean `x`?" or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean \`${c}\`?`;
}
