/** Polling for a condition in tests that watch another process. */

/** How often and how long {@link poll} reads. */
export interface PollOptions {
  /** Give up after this long and return the last value (default 30 s). */
  timeoutMs?: number;
  /** The pause between two reads (default 100 ms). */
  intervalMs?: number;
}

/**
 * Reads with `read` until `done` holds of the result or `timeoutMs` passes, pausing
 * `intervalMs` between reads; returns the last result (the caller asserts on it).
 *
 * @example
 * ```ts
 * const mails = await poll(() => smtp.mails, (m) => m.length > 0);
 * ```
 */
export async function poll<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 100 }: PollOptions = {},
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((wake) => setTimeout(wake, intervalMs));
    value = await read();
  }
  return value;
}
