/**
 * How Step Functions matches an error name against a retrier's or catcher's `ErrorEquals`, and
 * how long a retrier waits before the next attempt.
 *
 * - `States.ALL` matches every error except `States.Runtime` and `States.DataLimitExceeded`.
 * - `States.TaskFailed` matches every error except `States.Timeout` (and the timeouts it
 *   covers), `States.Runtime` and `States.DataLimitExceeded`.
 * - `States.Timeout` also matches `States.HeartbeatTimeout`.
 * - Any other name matches itself only.
 *
 * @example
 * ```ts
 * errorMatches('States.HeartbeatTimeout', ['States.Timeout']); // true
 * retryDelayMs({ ErrorEquals: ['X'], IntervalSeconds: 2, BackoffRate: 3 }, 1, () => 0.5); // 6000
 * ```
 */
import type { RetrierDefinition } from './definition.ts';

const UNCATCHABLE = new Set(['States.Runtime', 'States.DataLimitExceeded']);
const TIMEOUTS = new Set(['States.Timeout', 'States.HeartbeatTimeout']);

/** True when the error `name` is matched by one of `errorEquals`. */
export function errorMatches(name: string, errorEquals: readonly string[]): boolean {
  if (errorEquals.includes(name)) return true;
  if (UNCATCHABLE.has(name)) return false;
  if (errorEquals.includes('States.ALL')) return true;
  if (errorEquals.includes('States.TaskFailed') && !TIMEOUTS.has(name)) return true;
  return name === 'States.HeartbeatTimeout' && errorEquals.includes('States.Timeout');
}

/**
 * Milliseconds to wait before retry number `retryCount + 1` (the first retry has `retryCount`
 * 0): `IntervalSeconds × BackoffRate^retryCount`, capped at `MaxDelaySeconds`, then with FULL
 * jitter a uniformly random share of it (`random()` in [0, 1)).
 */
export function retryDelayMs(retrier: RetrierDefinition, retryCount: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const rate = retrier.BackoffRate ?? 2;
  let seconds = interval * rate ** retryCount;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds *= random();
  return Math.round(seconds * 1000);
}
