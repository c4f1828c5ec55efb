/**
 * An action attempt's log, opened on its first write: an attempt that writes nothing costs no
 * log-store call while it runs (locally, a directory and a file per attempt). Its empty log is
 * created afterwards ({@link AttemptLog.createEmpty}), off the path from one action to the next.
 *
 * @example
 * ```ts
 * const log = new AttemptLog(logs, ref);
 * log.write('stdout', 'building\n'); // opens the log, then writes
 * await log.close();
 * if (!log.written) await log.createEmpty();
 * ```
 */
import type { ActionLog } from './action-provider.ts';
import type { ActionLogRef, ActionLogStore, ActionLogWriter } from './ports/action-log-store.ts';

type Line = [stream: 'stdout' | 'stderr' | 'system', text: string];

/** One attempt's log. */
export class AttemptLog implements ActionLog {
  readonly #logs: ActionLogStore;
  readonly #ref: ActionLogRef;
  #writer: Promise<ActionLogWriter> | undefined;
  #opened: ActionLogWriter | undefined;
  #pending: Line[] = [];

  constructor(logs: ActionLogStore, ref: ActionLogRef) {
    this.#logs = logs;
    this.#ref = ref;
  }

  /** Whether anything was written (the log was opened). */
  get written(): boolean {
    return this.#writer !== undefined;
  }

  write(stream: Line[0], text: string): void {
    if (this.#opened !== undefined) {
      this.#opened.write(stream, text);
      return;
    }
    this.#pending.push([stream, text]);
    void this.#open();
  }

  /** Closes the log if it was opened; rejects when it could not be opened or stored. */
  async close(): Promise<void> {
    if (this.#writer !== undefined) await (await this.#writer).close();
  }

  /** Creates the (empty) log of an attempt that wrote nothing. */
  async createEmpty(): Promise<void> {
    await (await this.#open()).close();
  }

  #open(): Promise<ActionLogWriter> {
    if (this.#writer === undefined) {
      this.#writer = this.#logs.open(this.#ref).then((writer) => {
        for (const [stream, text] of this.#pending) writer.write(stream, text);
        this.#pending = [];
        this.#opened = writer;
        return writer;
      });
      // Reported by close(); never an unhandled rejection meanwhile.
      this.#writer.catch(() => undefined);
    }
    return this.#writer;
  }
}
