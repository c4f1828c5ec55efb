/**
 * The task tokens of `.waitForTaskToken` tasks. A token is open while its task waits; it
 * closes when the task completes, times out, or its execution ends. `SendTask*` with an open
 * token reaches the task; with a closed one it fails with {@link TaskTimedOut}; with a token
 * never issued, {@link InvalidToken} — as Step Functions answers.
 *
 * @example
 * ```ts
 * const tokens = new TaskTokens();
 * tokens.open('tok-1', executionArn, { succeed, fail, heartbeat });
 * tokens.use('tok-1').succeed({ ok: true });
 * ```
 */
import { InvalidToken, TaskTimedOut } from './errors.ts';

/** What a waiting task does with SendTaskSuccess / Failure / Heartbeat. */
export interface TokenWaiter {
  succeed(output: unknown): void;
  fail(error: string, cause: string): void;
  heartbeat(): void;
}

/** Open and closed task tokens of one runtime. */
export class TaskTokens {
  readonly #open = new Map<string, { executionArn: string; waiter: TokenWaiter }>();
  readonly #closed = new Set<string>();

  /** Registers an open token. */
  open(token: string, executionArn: string, waiter: TokenWaiter): void {
    this.#open.set(token, { executionArn, waiter });
  }

  /** Closes a token; later use fails with TaskTimedOut. */
  close(token: string): void {
    if (this.#open.delete(token)) this.#closed.add(token);
  }

  /** Closes every open token of an execution (stop, timeout, end). */
  closeExecution(executionArn: string): void {
    for (const [token, entry] of this.#open) if (entry.executionArn === executionArn) this.close(token);
  }

  /** Number of open tokens. */
  get openCount(): number {
    return this.#open.size;
  }

  /** The waiter of an open token; throws TaskTimedOut (closed) or InvalidToken (unknown). */
  use(token: string): TokenWaiter {
    const entry = this.#open.get(token);
    if (entry) return entry.waiter;
    if (this.#closed.has(token)) throw new TaskTimedOut();
    throw new InvalidToken();
  }
}
