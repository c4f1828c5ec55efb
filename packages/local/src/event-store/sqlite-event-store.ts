import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyConflictError,
  type EventRecord,
  type EventStore,
  type ExecutionPage,
  InvalidCursorError,
  type ListExecutionsOptions,
  type NewEventRecord,
  type StreamHead,
} from '@pipewright/core';
import { LocalStoreError } from '../errors.ts';
import { EmptyLogMarks } from './empty-log-marks.ts';
import { type EventRow, migrate, prepareStatements, SCHEMA, type Statements } from './sqlite-event-schema.ts';
import { StateMachineJournal } from './state-machine-journal.ts';
import { WriteBehind } from './write-behind.ts';

/** Options of {@link SqliteEventStore.open}. */
export interface SqliteEventStoreOptions {
  /** Milliseconds a writer waits for another process's write lock before failing (default 10,000). */
  busyTimeoutMs?: number;
  /**
   * Told when rows written behind (the journal, empty-log marks) could not be written at the end
   * of a turn of the event loop; they stay queued and go with the next transaction.
   */
  onWriteBehindError?: (error: unknown) => void;
}

const MAX_PAGE = 1000;

/**
 * The event store on SQLite (Node's built-in `node:sqlite`, WAL): no native module to build at
 * install. Appends run in `BEGIN IMMEDIATE` transactions, so concurrent writers — threads or
 * processes on the same file — are serialised: no gaps, no duplicates, one total order per
 * stream. The appends of one turn of the event loop share one transaction (group commit), each
 * in a savepoint of its own, so a conflict refuses only its own append; each append's promise
 * settles after that transaction's COMMIT. `synchronous = NORMAL` in WAL mode survives a process crash (`kill -9`) with every
 * committed event; a power loss may lose the last transactions. Every statement is prepared
 * once, when the store opens. The side tables in the same database (the journal, the marks of
 * empty action logs) are {@link WriteBehind written behind}: with the next append's transaction
 * or at the end of the event loop's turn.
 *
 * @example
 * ```ts
 * const store = SqliteEventStore.open('.pipewright/events.db');
 * await store.append('execution-1', [{ id: 'e1', type: 'PipelineExecutionStarted', at: now, data: {} }], { expectedVersion: 0, pipeline: 'web-app' });
 * ```
 */
export class SqliteEventStore implements EventStore {
  readonly #db: DatabaseSync;
  readonly #sql: Statements;
  #transactions = 0;
  /** Rows of the side tables, written with the next transaction (see {@link WriteBehind}). */
  readonly writeBehind: WriteBehind;
  /** The local state machines' history journal, in the same database (see {@link StateMachineJournal}). */
  readonly journal: StateMachineJournal;
  /** The action logs that are empty, for the local `FileActionLogStore` (see {@link EmptyLogMarks}). */
  readonly emptyLogs: EmptyLogMarks;

  private constructor(db: DatabaseSync, options: SqliteEventStoreOptions) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    const transaction = (work: () => void) => this.#transaction(work);
    this.writeBehind = new WriteBehind(
      {
        get isOpen() {
          return db.isOpen;
        },
        transaction,
      },
      options.onWriteBehindError === undefined ? {} : { onError: options.onWriteBehindError },
    );
    this.journal = new StateMachineJournal(db, this.writeBehind);
    this.emptyLogs = new EmptyLogMarks(db, this.writeBehind);
  }

  /** Write transactions committed by this store so far (appends and write-behind flushes). */
  get transactions(): number {
    return this.#transactions;
  }

  /** Runs `work` in one `BEGIN IMMEDIATE` transaction; rolls back and rethrows when it throws. */
  #transaction<T>(work: () => T): T {
    this.#sql.begin.run();
    try {
      const result = work();
      this.#sql.commit.run();
      this.#transactions += 1;
      return result;
    } catch (error) {
      this.#rollback();
      throw error;
    }
  }

  /** Opens (creating if needed) the event database at `file`; `:memory:` for a throwaway store. */
  static open(file: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      const db = new DatabaseSync(file);
      try {
        // The busy timeout first: switching to WAL takes a lock another process may hold.
        db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 10_000))}`);
        db.exec('PRAGMA journal_mode = WAL');
        db.exec('PRAGMA synchronous = NORMAL');
        db.exec(SCHEMA);
        migrate(db);
        return new SqliteEventStore(db, options);
      } catch (error) {
        db.close();
        throw error;
      }
    } catch (error) {
      throw new LocalStoreError(
        `cannot open the event log at ${file}: ${(error as Error).message}. Check that the directory is writable and not on a network file system.`,
        { cause: error },
      );
    }
  }

  async append(
    stream: string,
    events: readonly NewEventRecord[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (events.length === 0) return { version: await this.version(stream), appended: [], duplicates: [] };
    if (!this.#db.isOpen) return this.#transaction(() => this.#appendInTransaction(stream, events, options));
    // Group commit: queued behind the rows and appends before it, written in the transaction
    // that ends this turn of the event loop, settled after its COMMIT.
    return new Promise((resolve, reject) => {
      let outcome: { result: AppendResult } | { error: unknown } = { error: undefined };
      this.writeBehind.enqueueWrite({
        run: () => {
          outcome = this.#inSavepoint(() => this.#appendInTransaction(stream, events, options));
        },
        settle: (error) => {
          if (error !== undefined) reject(error);
          else if ('result' in outcome) resolve(outcome.result);
          else reject(outcome.error);
        },
      });
    });
  }

  /** Runs `work` in a savepoint of the open transaction: when it throws, only its own writes are undone. */
  #inSavepoint<T>(work: () => T): { result: T } | { error: unknown } {
    const sql = this.#sql;
    sql.savepoint.run();
    try {
      const result = work();
      sql.release.run();
      return { result };
    } catch (error) {
      sql.rollbackTo.run();
      sql.release.run();
      return { error };
    }
  }

  /** Rolls the open transaction back, if SQLite has not already (a failed COMMIT may end it). */
  #rollback(): void {
    try {
      this.#sql.rollback.run();
    } catch {
      // No transaction is open any more: nothing to undo; the caller rethrows the first error.
    }
  }

  #appendInTransaction(
    stream: string,
    events: readonly NewEventRecord[],
    options: AppendOptions,
  ): AppendResult {
    const sql = this.#sql;
    const duplicates: string[] = [];
    const fresh: NewEventRecord[] = [];
    const seen = new Set<string>();
    for (const event of events) {
      if (seen.has(event.id) || sql.findId.get(stream, event.id)) duplicates.push(event.id);
      else fresh.push(event);
      seen.add(event.id);
    }
    const current = sql.version.get(stream)?.version ?? 0;
    if (fresh.length === 0) return { version: current, appended: [], duplicates };
    if (options.expectedVersion !== 'any' && options.expectedVersion !== current) {
      throw new ConcurrencyConflictError(stream, options.expectedVersion, current);
    }
    const appended: EventRecord[] = [];
    let seq = current;
    for (const event of fresh) {
      seq += 1;
      sql.insertEvent.run(
        stream,
        seq,
        event.id,
        event.type,
        event.at,
        event.actor ? JSON.stringify(event.actor) : null,
        JSON.stringify(event.data ?? null),
      );
      appended.push({ ...event, stream, seq });
    }
    if (current === 0) {
      sql.insertStream.run(stream, seq, streamKind(stream), options.pipeline ?? null, fresh[0]?.at ?? '');
    } else {
      sql.updateStream.run(seq, stream);
    }
    if (options.snapshot !== undefined && duplicates.length === 0) {
      sql.setSnapshot.run(seq, JSON.stringify(options.snapshot), stream);
    }
    return { version: seq, appended, duplicates };
  }

  async read(stream: string, options: { fromSeq?: number; limit?: number } = {}): Promise<EventRecord[]> {
    const rows = this.#sql.read.all(stream, options.fromSeq ?? 1, options.limit ?? -1);
    return rows.map(toRecord);
  }

  async version(stream: string): Promise<number> {
    return this.#sql.version.get(stream)?.version ?? 0;
  }

  async head(stream: string): Promise<StreamHead> {
    const row = this.#sql.head.get(stream);
    if (row === undefined) return { version: 0 };
    if (row.snapshot === null || row.snapshot_version === null) return { version: row.version };
    return {
      version: row.version,
      snapshot: { version: row.snapshot_version, data: JSON.parse(row.snapshot) },
    };
  }

  async find(stream: string, id: string): Promise<EventRecord | undefined> {
    const row = this.#sql.find.get(stream, id);
    return row === undefined ? undefined : toRecord(row);
  }

  async listExecutions(pipeline: string, options: ListExecutionsOptions = {}): Promise<ExecutionPage> {
    const limit = Math.min(Math.max(1, options.limit ?? 50), MAX_PAGE);
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    const rows = after
      ? this.#sql.nextPage.all(pipeline, after.createdAt, after.createdAt, after.stream, limit + 1)
      : this.#sql.firstPage.all(pipeline, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      executions: page.map((r) => ({
        executionId: r.stream.slice('execution-'.length),
        stream: r.stream,
        pipeline: r.pipeline,
        startedAt: r.created_at,
      })),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.created_at, last.stream) } : {}),
    };
  }

  /**
   * The ids of a pipeline's executions whose stream holds none of `closingTypes` (the events
   * that end an execution), oldest first: what a restart resumes.
   */
  async listOpenExecutions(pipeline: string, closingTypes: readonly string[]): Promise<string[]> {
    const rows = this.#sql.openExecutions.all(pipeline, JSON.stringify(closingTypes));
    return rows.map((r) => r.stream.slice('execution-'.length));
  }

  /** Finds which pipeline an execution belongs to (for `pipewright show <execution-id>`). */
  async findExecution(executionId: string): Promise<{ pipeline: string; stream: string } | undefined> {
    const row = this.#sql.findExecution.get(`execution-${executionId}`);
    return row ? { pipeline: row.pipeline, stream: row.stream } : undefined;
  }

  /** Writes the rows still queued behind, then closes the database. */
  async close(): Promise<void> {
    if (!this.#db.isOpen) return;
    try {
      this.writeBehind.flush();
    } finally {
      this.#db.close();
    }
  }
}

function streamKind(stream: string): 'execution' | 'pipeline' | 'other' {
  if (stream.startsWith('execution-')) return 'execution';
  return stream.startsWith('pipeline-') ? 'pipeline' : 'other';
}

function toRecord([stream, seq, id, type, at, actor, data]: EventRow): EventRecord {
  return {
    stream,
    seq,
    id,
    type,
    at,
    ...(actor ? { actor: JSON.parse(actor) } : {}),
    data: JSON.parse(data),
  };
}

function encodeCursor(createdAt: string, stream: string): string {
  return Buffer.from(JSON.stringify([createdAt, stream])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; stream: string } {
  try {
    const [createdAt, stream] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (typeof createdAt === 'string' && typeof stream === 'string') return { createdAt, stream };
  } catch {
    // fall through
  }
  throw new InvalidCursorError(
    `invalid cursor "${cursor}": pass the nextCursor of the previous page unchanged`,
  );
}
