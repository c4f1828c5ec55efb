/**
 * "Did you mean …?" suggestions for misspelt keys and values.
 *
 * @example
 * ```ts
 * closestMatch('stagse', ['name', 'stages', 'triggers']); // 'stages'
 * closestMatch('colour', ['name', 'stages']); // undefined
 * ```
 */

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++)
    rows.push(Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : 0)));
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    row[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return rows[s.length]?.[t.length] ?? Math.max(s.length, t.length);
}

/** The candidate closest to `input`, when close enough to be a likely typo (distance ≤ max(1, ⌊length/3⌋)). */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(input.length, 3) / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}
