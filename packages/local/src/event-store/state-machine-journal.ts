/**
 * The state machines' journal: every history event of every local execution, kept in the
 * event database (table `state_machine_history`, apart from the event streams, so the
 * `EventStore` port and `listExecutions` do not see it). Each event is queued as the `states`
 * runtime appends it and {@link WriteBehind written behind}: with the next event append's
 * transaction, before its events, or at the end of the event loop's turn. So after a `kill -9`
 * the journal holds every event recorded before the last event append that committed (and
 * possibly a few more): the same prefix of the history a crash a moment earlier leaves with
 * one transaction per event — `resumeExecution` continues from there, and the handlers it
 * calls again are idempotent.
 *
 * @example
 * ```ts
 * const sfn = new LocalStepFunctions({ onHistoryEvent: (arn, event) => store.journal.append(arn, event) });
 * const { executionArn, events } = store.journal.read('7f0c');
 * ```
 */
import type { DatabaseSync } from 'node:sqlite';
import type { HistoryEvent } from '@pipewright/states';
import { type Statement, statement } from './sqlite-statement.ts';
import type { WriteBehind } from './write-behind.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS state_machine_history (
  execution_id  TEXT NOT NULL,
  id            INTEGER NOT NULL,
  execution_arn TEXT NOT NULL,
  event         TEXT NOT NULL,
  PRIMARY KEY (execution_id, id)
) STRICT;
`;

/** What the journal holds for one execution. */
export interface JournalRead {
  /** The execution's ARN in the `states` runtime (undefined when the journal has nothing). */
  executionArn?: string;
  /** Its history events, in id order. */
  events: HistoryEvent[];
}

/** The execution name of an execution ARN (`…:execution:<machine>:<name>`): Pipewright's execution id. */
function executionIdOf(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(':') + 1);
}

/** The journal of the local state machines' history events, in the event database. */
export class StateMachineJournal {
  readonly #rows: WriteBehind;
  readonly #insert: Statement<[string, number, string, string], never>;
  readonly #select: Statement<[string], { execution_arn: string; event: string }>;

  /** @internal Made by `SqliteEventStore`, on its connection and its write-behind queue. */
  constructor(db: DatabaseSync, rows: WriteBehind) {
    this.#rows = rows;
    db.exec(SCHEMA);
    // A re-run never re-emits an event it replays; an id seen twice keeps the first.
    this.#insert = statement(
      db,
      'INSERT OR IGNORE INTO state_machine_history (execution_id, id, execution_arn, event) VALUES (?, ?, ?, ?)',
    );
    this.#select = statement(
      db,
      'SELECT execution_arn, event FROM state_machine_history WHERE execution_id = ? ORDER BY id',
    );
  }

  /**
   * Appends one history event (the `onHistoryEvent` hook): serialised now, written with the
   * next transaction. After the database closed (the runtime is shutting down) it records
   * nothing, as a crash would.
   */
  append(executionArn: string, event: HistoryEvent): void {
    this.#rows.enqueue(this.#insert, [
      executionIdOf(executionArn),
      event.id,
      executionArn,
      JSON.stringify(event),
    ]);
  }

  /** The journal of one execution (by Pipewright execution id), with every event queued so far. */
  read(executionId: string): JournalRead {
    this.#rows.flush();
    const rows = this.#select.all(executionId);
    const first = rows[0];
    return {
      ...(first === undefined ? {} : { executionArn: first.execution_arn }),
      events: rows.map((r) => JSON.parse(r.event) as HistoryEvent),
    };
  }
}
