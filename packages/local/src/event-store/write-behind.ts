/**
 * Rows written behind: side tables of the event database (the state machines' journal, the
 * marks of empty action logs) whose rows need not each pay a transaction of their own. A row
 * is queued in memory and written in the same transaction as the next event append, or — when
 * no append comes first — in one transaction for the whole queue once the current turn of the
 * event loop ends (`setImmediate`).
 *
 * Why this keeps crash safety: every write to the database (queued rows and event appends
 * alike) becomes durable in the order it was made, because queued rows are written before the
 * events of the transaction that carries them. So after a `kill -9` the database holds a
 * prefix of the writes, exactly as when each row had its own transaction; only the prefixes
 * that end inside one turn of the event loop are no longer possible. A reader of a side table
 * flushes the queue first, so it never misses a row of its own process.
 *
 * @example
 * ```ts
 * const rows = new WriteBehind(db, transaction);
 * rows.enqueue(insert, ['7f0c', 1, 'arn', '{}']);
 * rows.flush(); // before reading the table
 * ```
 */
import type { SQLInputValue } from 'node:sqlite';
import type { Statement } from './sqlite-statement.ts';

/** One queued row: the prepared statement that writes it, and its parameters. */
type QueuedRow = [statement: Statement<SQLInputValue[], never>, params: SQLInputValue[]];

/** What {@link WriteBehind} needs of the database: whether it is open, and a write transaction. */
export interface WriteBehindDatabase {
  readonly isOpen: boolean;
  /** Runs `work` in one write transaction (`BEGIN IMMEDIATE` … `COMMIT`, rolled back when it throws). */
  transaction(work: () => void): void;
}

/** Options of {@link WriteBehind}. */
export interface WriteBehindOptions {
  /** Told when a flush of its own failed (the rows stay queued and go with the next transaction). */
  onError?: (error: unknown) => void;
}

/** The queue of rows written with the next transaction (see the module's documentation). */
export class WriteBehind {
  readonly #db: WriteBehindDatabase;
  readonly #onError: (error: unknown) => void;
  #queue: QueuedRow[] = [];
  #scheduled: NodeJS.Immediate | undefined;

  constructor(db: WriteBehindDatabase, options: WriteBehindOptions = {}) {
    this.#db = db;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Rows queued and not yet committed. */
  get size(): number {
    return this.#queue.length;
  }

  /**
   * Queues a row; it is written with the next event append or at the end of this turn of the
   * event loop. After the database closed it records nothing, as a crash would.
   */
  enqueue<Params extends SQLInputValue[]>(statement: Statement<Params, never>, params: Params): void {
    if (!this.#db.isOpen) return;
    this.#queue.push([statement as unknown as QueuedRow[0], params]);
    this.#scheduled ??= setImmediate(() => {
      this.#scheduled = undefined;
      try {
        this.flush();
      } catch (error) {
        this.#onError(error);
      }
    });
  }

  /**
   * Writes the queued rows inside the caller's open transaction and returns how many it wrote;
   * the caller calls {@link committed} with that number once the transaction committed (on a
   * rollback the rows simply stay queued).
   */
  writeQueued(): number {
    const queue = this.#queue;
    for (const [statement, params] of queue) statement.run(...params);
    return queue.length;
  }

  /** Forgets the first `count` queued rows: the transaction that wrote them committed. */
  committed(count: number): void {
    if (count === 0) return;
    this.#queue = count === this.#queue.length ? [] : this.#queue.slice(count);
    if (this.#queue.length === 0 && this.#scheduled !== undefined) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
  }

  /** Writes the queued rows now, in one transaction of their own (nothing when none are queued). */
  flush(): void {
    if (this.#queue.length === 0 || !this.#db.isOpen) return;
    let written = 0;
    this.#db.transaction(() => {
      written = this.writeQueued();
    });
    this.committed(written);
  }
}
