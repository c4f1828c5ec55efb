/**
 * What a writer does after losing an optimistic append (`ConcurrencyConflictError`): decide
 * again at once for the first few rounds, then after a short random pause that grows with
 * the rounds, so a burst of writers (100 triggers at once) spreads out instead of using up
 * its retries; it gives up only after many rounds.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ConcurrencyConflictError && (await backOffAfterConflict(round))) continue; throw e; }
 * ```
 */

/** Rounds after which a writer gives up. */
export const MAX_CONFLICT_ROUNDS = 500;

/**
 * Waits before round `round + 1`; resolves false when the writer should give up.
 *
 * @example
 * ```ts
 * await backOffAfterConflict(0); // true, at once
 * ```
 */
export async function backOffAfterConflict(round: number): Promise<boolean> {
  if (round >= MAX_CONFLICT_ROUNDS) return false;
  if (round >= 3) {
    const ceiling = Math.min(2 ** Math.min(round - 3, 6), 50);
    await new Promise((done) => setTimeout(done, Math.random() * ceiling));
  }
  return true;
}
