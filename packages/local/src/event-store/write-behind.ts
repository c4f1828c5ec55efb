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
 * The event appends themselves are queued here too ({@link QueuedWrite}, group commit): the
 * rows and appends of one turn share one transaction, each append in a savepoint of its own,
 * and an append's promise settles only after that transaction's COMMIT — so nobody acts on an
 * event that a crash could still take back.
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

/**
 * A write queued with the rows (an event append): {@link run} does it inside the transaction
 * that carries the queue (in a savepoint of its own, so that it refuses only itself) and must
 * not throw; {@link settle} is called once that transaction ended — with the error that ended
 * it, or none after its COMMIT.
 */
export interface QueuedWrite {
  run(): void;
  settle(error?: unknown): void;
}

type Queued = QueuedRow | QueuedWrite;

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
  #queue: Queued[] = [];
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
    this.#push([statement as unknown as QueuedRow[0], params]);
  }

  /**
   * Queues a write that settles after the transaction carrying it (see {@link QueuedWrite}):
   * all writes of one turn of the event loop share one COMMIT.
   */
  enqueueWrite(write: QueuedWrite): void {
    this.#push(write);
  }

  #push(item: Queued): void {
    this.#queue.push(item);
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
    for (const item of queue) {
      if (Array.isArray(item)) item[0].run(...item[1]);
      else item.run();
    }
    return queue.length;
  }

  /** Forgets the first `count` queued rows: the transaction that wrote them committed. */
  committed(count: number): void {
    if (count === 0) return;
    const done = this.#queue.slice(0, count);
    this.#queue = count === this.#queue.length ? [] : this.#queue.slice(count);
    if (this.#queue.length === 0 && this.#scheduled !== undefined) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
    for (const item of done) if (!Array.isArray(item)) item.settle();
  }

  /**
   * The transaction that wrote the queue rolled back: its rows stay queued for the next one,
   * its writes are dropped and told `error`.
   */
  #rolledBack(error: unknown): void {
    const writes = this.#queue.filter((item): item is QueuedWrite => !Array.isArray(item));
    if (writes.length === 0) return;
    this.#queue = this.#queue.filter((item) => Array.isArray(item));
    for (const write of writes) write.settle(error);
  }

  /** Writes the queued rows now, in one transaction of their own (nothing when none are queued). */
  flush(): void {
    if (this.#queue.length === 0 || !this.#db.isOpen) return;
    let written = 0;
    try {
      this.#db.transaction(() => {
        written = this.writeQueued();
      });
    } catch (error) {
      this.#rolledBack(error);
      throw error;
    }
    this.committed(written);
  }
}
