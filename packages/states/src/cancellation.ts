/**
 * Cooperative cancellation of a running execution, branch or task. Stopping an execution,
 * timing it out, or one Parallel branch failing cancels a scope; everything awaiting inside it
 * rejects with {@link Cancelled} and emits nothing more.
 *
 * @example
 * ```ts
 * const scope = new CancelScope();
 * const waiting = sleep(clock, 5000, scope);
 * scope.cancel(new Cancelled('aborted'));
 * await waiting; // rejects with Cancelled
 * ```
 */
import type { Clock } from './clock.ts';

/** Why a scope was cancelled. */
export type CancelReason = 'aborted' | 'timedOut' | 'siblingFailed' | 'disposed';

/** The rejection of everything awaiting in a cancelled scope. */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  readonly reason: CancelReason;
  constructor(reason: CancelReason) {
    super(`cancelled (${reason})`);
    this.reason = reason;
  }
}

/** A node of the cancellation tree; cancelling a scope cancels its children. */
export class CancelScope {
  #reason: Cancelled | undefined;
  readonly #listeners = new Set<(reason: Cancelled) => void>();

  constructor(parent?: CancelScope) {
    if (parent) {
      if (parent.reason) this.#reason = parent.reason;
      else parent.onCancel((r) => this.cancel(r));
    }
  }

  /** The cancellation, once cancelled. */
  get reason(): Cancelled | undefined {
    return this.#reason;
  }

  /** Cancels this scope (first reason wins) and its children. */
  cancel(reason: Cancelled): void {
    if (this.#reason) return;
    this.#reason = reason;
    for (const listener of [...this.#listeners]) listener(reason);
    this.#listeners.clear();
  }

  /** Calls `listener` on cancellation (at once when already cancelled); returns an unsubscribe. */
  onCancel(listener: (reason: Cancelled) => void): () => void {
    if (this.#reason) {
      listener(this.#reason);
      return () => {};
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Throws the cancellation when cancelled. */
  throwIfCancelled(): void {
    if (this.#reason) throw this.#reason;
  }
}

/** Resolves after `ms` on `clock`, or rejects with {@link Cancelled} when `scope` is cancelled first. */
export function sleep(clock: Clock, ms: number, scope: CancelScope): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (scope.reason) return reject(scope.reason);
    if (ms <= 0) return resolve();
    const timer = clock.setTimer(ms, () => {
      off();
      resolve();
    });
    const off = scope.onCancel((reason) => {
      clock.clearTimer(timer);
      reject(reason);
    });
  });
}
