/**
 * Where action logs are kept: one log per action attempt, written while the action runs and
 * read back by `pipewright logs` (and streamed by the server). The engine opens an attempt's
 * log at its first write; an attempt that writes nothing gets its empty log just after its
 * outcome is recorded.
 *
 * @example
 * ```ts
 * const log = await logs.open(ref);
 * log.write('stdout', 'building\n');
 * await log.close();
 * (await logs.read(ref)) ?? ''; // 'building\n'
 * ```
 */
import type { ActionLog } from '../action-provider.ts';

/** One action attempt's log. @example `{ executionId: '7f0c', stageName: 'Build', actionName: 'Compile', stageAttempt: 0, attempt: 1 }` */
export interface ActionLogRef {
  executionId: string;
  stageName: string;
  actionName: string;
  stageAttempt: number;
  attempt: number;
}

/** An open log: write lines, then close. */
export interface ActionLogWriter extends ActionLog {
  close(): Promise<void>;
}

/** The action log store port. Adapters: files under `.pipewright/logs` (local), S3 (AWS); both run `test/contracts/action-log-store.contract.ts`. */
export interface ActionLogStore {
  open(ref: ActionLogRef): Promise<ActionLogWriter>;
  /** The whole log, or `undefined` when the attempt has none. */
  read(ref: ActionLogRef): Promise<string | undefined>;
  /**
   * Optional: the log's bytes from byte `offset` to its current end (empty when nothing new),
   * or `undefined` when the attempt has no log (yet). Lets a server stream a log while it is
   * written without reading it whole on every poll; without it, followers fall back to `read`.
   */
  readFrom?(ref: ActionLogRef, offset: number): Promise<Uint8Array | undefined>;
}

/** What starts every line of a `system` write in a stored log. */
export const SYSTEM_LINE_PREFIX = '[pipewright] ';

/**
 * A `system` write as every action log store keeps it: each line prefixed
 * {@link SYSTEM_LINE_PREFIX}, so a reader tells Pipewright's lines from the action's output.
 *
 * @example
 * ```ts
 * prefixSystemLines('exit code 0\nduration 3s\n'); // '[pipewright] exit code 0\n[pipewright] duration 3s\n'
 * ```
 */
export function prefixSystemLines(text: string): string {
  return text
    .split(/(?<=\n)/)
    .map((line) => (line.length > 0 ? `${SYSTEM_LINE_PREFIX}${line}` : line))
    .join('');
}
