/**
 * "Did you mean …?" suggestions for misspelt names (variables, namespaces).
 */

/** Levenshtein distance, case-insensitive substitutions cost 0.5 so `CommitID` is closest to `CommitId`. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const ca = a[i - 1] ?? '';
      const cb = b[j - 1] ?? '';
      const sub = ca === cb ? 0 : ca.toLowerCase() === cb.toLowerCase() ? 0.5 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + sub);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `wanted`, if it is close enough to be a plausible typo
 * (distance ≤ max(1, a third of the length)); failing that, a candidate that `wanted`
 * shares most of its beginning with (case-insensitive, ≥ ¾ of `wanted`, e.g. `SourceVars` → `SourceVariables`).
 *
 * @example
 * ```ts
 * didYouMean('CommitID', ['BranchName', 'CommitId']); // 'CommitId'
 * didYouMean('SourceVars', ['SourceVariables']); // 'SourceVariables'
 * didYouMean('Zebra', ['BranchName', 'CommitId']); // undefined
 * ```
 */
export function didYouMean(wanted: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(wanted, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, wanted.length / 3)) return best;
  const w = wanted.toLowerCase();
  let longest = 0;
  let byPrefix: string | undefined;
  for (const c of candidates) {
    const l = c.toLowerCase();
    let n = 0;
    while (n < w.length && n < l.length && w[n] === l[n]) n++;
    if (n > longest) {
      longest = n;
      byPrefix = c;
    }
  }
  return longest >= 4 && longest >= 0.75 * w.length ? byPrefix : undefined;
}
