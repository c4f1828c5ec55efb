/**
 * Action logs in memory, for unit tests: one string per action attempt.
 *
 * @example
 * ```ts
 * const logs = new MemoryActionLogStore();
 * await logs.read({ executionId: '7f0c', stageName: 'Build', actionName: 'Compile', stageAttempt: 0, attempt: 1 });
 * ```
 */
import type { ActionLogRef, ActionLogStore, ActionLogWriter } from '../ports/action-log-store.ts';

function keyOf(ref: ActionLogRef): string {
  return [ref.executionId, ref.stageName, ref.actionName, ref.stageAttempt, ref.attempt].join('/');
}

/** The in-memory action log store. */
export class MemoryActionLogStore implements ActionLogStore {
  readonly #logs = new Map<string, string>();

  async open(ref: ActionLogRef): Promise<ActionLogWriter> {
    const key = keyOf(ref);
    this.#logs.set(key, this.#logs.get(key) ?? '');
    return {
      write: (_stream, text) => {
        this.#logs.set(key, `${this.#logs.get(key) ?? ''}${text}`);
      },
      close: async () => {},
    };
  }

  async read(ref: ActionLogRef): Promise<string | undefined> {
    return this.#logs.get(keyOf(ref));
  }

  async readFrom(ref: ActionLogRef, offset: number): Promise<Uint8Array | undefined> {
    const text = this.#logs.get(keyOf(ref));
    return text === undefined ? undefined : new TextEncoder().encode(text).subarray(offset);
  }
}
