/**
 * Action logs in memory, for unit tests: one string per action attempt, with the semantics of
 * the file and S3 stores (`test/contracts/action-log-store.contract.ts`): `system` lines are
 * prefixed `[pipewright] `, writes after `close` are dropped, `readFrom` takes a byte offset.
 * As locally, a write shows at once and opening an attempt's log again appends to it.
 *
 * @example
 * ```ts
 * const logs = new MemoryActionLogStore();
 * await logs.read({ executionId: '7f0c', stageName: 'Build', actionName: 'Compile', stageAttempt: 0, attempt: 1 });
 * ```
 */
import { EngineTestingError } from '../errors.ts';
import {
  type ActionLogRef,
  type ActionLogStore,
  type ActionLogWriter,
  prefixSystemLines,
} from '../ports/action-log-store.ts';

/** One key per attempt, whatever characters the names hold. */
function keyOf(ref: ActionLogRef): string {
  return JSON.stringify([ref.executionId, ref.stageName, ref.actionName, ref.stageAttempt, ref.attempt]);
}

/** The in-memory action log store. */
export class MemoryActionLogStore implements ActionLogStore {
  readonly #logs = new Map<string, string>();

  async open(ref: ActionLogRef): Promise<ActionLogWriter> {
    const key = keyOf(ref);
    this.#logs.set(key, this.#logs.get(key) ?? '');
    let open = true;
    return {
      write: (stream, text) => {
        if (!open) return;
        this.#logs.set(
          key,
          `${this.#logs.get(key) ?? ''}${stream === 'system' ? prefixSystemLines(text) : text}`,
        );
      },
      close: async () => {
        open = false;
      },
    };
  }

  async read(ref: ActionLogRef): Promise<string | undefined> {
    return this.#logs.get(keyOf(ref));
  }

  async readFrom(ref: ActionLogRef, offset: number): Promise<Uint8Array | undefined> {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new EngineTestingError(
        `log offset ${offset} is not a byte position; pass a non-negative integer (the bytes already read)`,
      );
    }
    const text = this.#logs.get(keyOf(ref));
    return text === undefined ? undefined : new TextEncoder().encode(text).subarray(offset);
  }
}
