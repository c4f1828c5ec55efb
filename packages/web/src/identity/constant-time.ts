/**
 * Comparing secrets without leaking how much of them matched.
 *
 * @example
 * ```ts
 * constantTimeEqual(given, expected);
 * ```
 */

/**
 * Compares two strings in time that depends on the expected one's length only.
 *
 * @example
 * ```ts
 * constantTimeEqual('abc', 'abc'); // true
 * ```
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % Math.max(a.length, 1)] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
