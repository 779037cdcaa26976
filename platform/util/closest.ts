/**
 * The candidate nearest to `word` by edit distance, when it is near enough to be a likely typo. A candidate
 * that is a prefix of the word (or the reverse, `minimum` for `min`) counts as one edit away.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  const w = word.toLowerCase();
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    const prefix = Math.min(w.length, c.length) >= 3 && (w.startsWith(c) || c.startsWith(w));
    const d = prefix ? 1 : editDistance(w, c);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
