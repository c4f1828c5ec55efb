/**
 * The marks of action logs that are empty (attempts that wrote nothing), in the event
 * database: the {@link EmptyLogIndex} of the local runtime's `FileActionLogStore`, so a silent
 * attempt costs a row written with the next transaction instead of a file and its folders.
 *
 * @example
 * ```ts
 * const logs = new FileActionLogStore('.pipewright/logs', { emptyLogs: store.emptyLogs });
 * store.emptyLogs.has('7f0c/Build/Compile/0-1.log'); // true once that attempt closed its log unwritten
 * ```
 */
import type { DatabaseSync } from 'node:sqlite';
import type { EmptyLogIndex } from '../logs/file-action-log-store.ts';
import { type Statement, statement } from './sqlite-statement.ts';
import type { WriteBehind } from './write-behind.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS empty_action_logs (
  log TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
`;

/** Empty action logs recorded in the event database (see the module's documentation). */
export class EmptyLogMarks implements EmptyLogIndex {
  readonly #rows: WriteBehind;
  readonly #insert: Statement<[string], never>;
  readonly #select: Statement<[string], { log: string }>;

  /** @internal Made by `SqliteEventStore`, on its connection and its write-behind queue. */
  constructor(db: DatabaseSync, rows: WriteBehind) {
    this.#rows = rows;
    db.exec(SCHEMA);
    this.#insert = statement(db, 'INSERT OR IGNORE INTO empty_action_logs (log) VALUES (?)');
    this.#select = statement(db, 'SELECT log FROM empty_action_logs WHERE log = ?');
  }

  /** Records the log at `key` as empty, with the next transaction. */
  add(key: string): void {
    this.#rows.enqueue(this.#insert, [key]);
  }

  /** Whether the log at `key` was recorded empty (by this process, or by one before it). */
  has(key: string): boolean {
    this.#rows.flush();
    return this.#select.get(key) !== undefined;
  }
}
