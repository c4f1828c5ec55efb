/**
 * Calls that start work in AWS (StartBuild, Publish, AssumeRole…) retried on throttling and
 * 5xx answers before the action fails. The SDK's own retry middleware already retries a few
 * times; this adds a bounded, jittered backoff on top for the calls whose failure would fail
 * the action, so a burst of throttling does not. Only requests that are safe to repeat go
 * through it: each carries an idempotency token, or repeating it changes nothing.
 *
 * @example
 * ```ts
 * const output = await retrying(() => codebuild.send(new StartBuildCommand(input)), { signal: run.signal });
 * ```
 */
import { isRetryableSdkError } from '../sdk-error.ts';

/**
 * How {@link retrying} backs off.
 *
 * @example
 * ```ts
 * const noWait: RetryOptions = { attempts: 3, delayMs: () => 0 };
 * ```
 */
export interface RetryOptions {
  /** Attempts in all (default 4). */
  attempts?: number;
  /** The delay before retry `n` (1-based); default 200 ms × 2^(n-1), jittered, at most 5 s. */
  delayMs?: (retry: number) => number;
  /** Stops the retries (the action was abandoned). */
  signal?: AbortSignal;
}

const defaultDelay = (retry: number): number =>
  Math.min(5000, 200 * 2 ** (retry - 1)) * (0.5 + Math.random() / 2);

/**
 * Runs `call`, again after a pause while it fails with a retryable SDK error (throttling, 5xx,
 * timeouts); any other error, or the last retryable one, is thrown as it came.
 *
 * @example
 * ```ts
 * await retrying(() => sns.send(new PublishCommand(input)), { attempts: 3 });
 * ```
 */
export async function retrying<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const delay = options.delayMs ?? defaultDelay;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isRetryableSdkError(error) || options.signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay(attempt)));
    }
  }
}
