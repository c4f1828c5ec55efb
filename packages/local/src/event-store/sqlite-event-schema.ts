/**
 * The event store's SQLite schema (with the migration that adds the head's snapshot columns) and
 * its statements, prepared once per store when it opens (see `SqliteEventStore`).
 *
 * @example
 * ```ts
 * db.exec(SCHEMA);
 * migrate(db);
 * const sql = prepareStatements(db);
 * ```
 */
import type { DatabaseSync } from 'node:sqlite';
import { statement } from './sqlite-statement.ts';

/** The tables and index of the event log. @example `db.exec(SCHEMA)` */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS streams (
  stream     TEXT PRIMARY KEY,
  version    INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  pipeline   TEXT,
  created_at TEXT NOT NULL,
  snapshot_version INTEGER,
  snapshot   TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS events (
  stream TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  id     TEXT NOT NULL,
  type   TEXT NOT NULL,
  at     TEXT NOT NULL,
  actor  TEXT,
  data   TEXT NOT NULL,
  PRIMARY KEY (stream, seq),
  UNIQUE (stream, id)
) STRICT;
CREATE INDEX IF NOT EXISTS executions_by_pipeline
  ON streams (pipeline, created_at DESC, stream DESC) WHERE kind = 'execution';
`;

/** Adds the head's snapshot columns to a log created before streams had snapshots. @example `migrate(db)` */
export function migrate(db: DatabaseSync): void {
  const columns = db.prepare('PRAGMA table_info(streams)').all() as { name: string }[];
  if (columns.some((c) => c.name === 'snapshot')) return;
  db.exec(
    'ALTER TABLE streams ADD COLUMN snapshot_version INTEGER; ALTER TABLE streams ADD COLUMN snapshot TEXT',
  );
}

/** A row of `events` as an array, in the order the read statement selects the columns. */
export type EventRow = [
  stream: string,
  seq: number,
  id: string,
  type: string,
  at: string,
  actor: string | null,
  data: string,
];

interface StreamRow {
  stream: string;
  pipeline: string;
  created_at: string;
}

/** The store's statements, prepared once per store when it opens. @example `prepareStatements(db).read.all(stream, 1, -1)` */
export function prepareStatements(db: DatabaseSync) {
  return {
    begin: statement<[], never>(db, 'BEGIN IMMEDIATE'),
    commit: statement<[], never>(db, 'COMMIT'),
    rollback: statement<[], never>(db, 'ROLLBACK'),
    savepoint: statement<[], never>(db, 'SAVEPOINT append'),
    release: statement<[], never>(db, 'RELEASE append'),
    rollbackTo: statement<[], never>(db, 'ROLLBACK TO append'),
    findId: statement<[string, string], { seq: number }>(
      db,
      'SELECT seq FROM events WHERE stream = ? AND id = ?',
    ),
    version: statement<[string], { version: number }>(db, 'SELECT version FROM streams WHERE stream = ?'),
    insertStream: statement<[string, number, string, string | null, string], never>(
      db,
      'INSERT INTO streams (stream, version, kind, pipeline, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    updateStream: statement<[number, string], never>(db, 'UPDATE streams SET version = ? WHERE stream = ?'),
    setSnapshot: statement<[number, string, string], never>(
      db,
      'UPDATE streams SET snapshot_version = ?, snapshot = ? WHERE stream = ?',
    ),
    head: statement<[string], { version: number; snapshot_version: number | null; snapshot: string | null }>(
      db,
      'SELECT version, snapshot_version, snapshot FROM streams WHERE stream = ?',
    ),
    find: statement<[string, string], EventRow>(
      db,
      'SELECT stream, seq, id, type, at, actor, data FROM events WHERE stream = ? AND id = ?',
      { returnArrays: true },
    ),
    insertEvent: statement<[string, number, string, string, string, string | null, string], never>(
      db,
      'INSERT INTO events (stream, seq, id, type, at, actor, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    // The engine's most frequent call: rows as arrays (see StatementOptions.returnArrays).
    read: statement<[string, number, number], EventRow>(
      db,
      'SELECT stream, seq, id, type, at, actor, data FROM events WHERE stream = ? AND seq >= ? ORDER BY seq LIMIT ?',
      { returnArrays: true },
    ),
    firstPage: statement<[string, number], StreamRow>(
      db,
      `SELECT stream, pipeline, created_at FROM streams WHERE kind = 'execution' AND pipeline = ?
       ORDER BY created_at DESC, stream DESC LIMIT ?`,
    ),
    nextPage: statement<[string, string, string, string, number], StreamRow>(
      db,
      `SELECT stream, pipeline, created_at FROM streams
       WHERE kind = 'execution' AND pipeline = ? AND (created_at < ? OR (created_at = ? AND stream < ?))
       ORDER BY created_at DESC, stream DESC LIMIT ?`,
    ),
    openExecutions: statement<[string, string], { stream: string }>(
      db,
      `SELECT s.stream FROM streams s WHERE s.kind = 'execution' AND s.pipeline = ?
       AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream = s.stream AND e.type IN (SELECT value FROM json_each(?)))
       ORDER BY s.created_at, s.stream`,
    ),
    findExecution: statement<[string], StreamRow>(
      db,
      "SELECT stream, pipeline, created_at FROM streams WHERE stream = ? AND kind = 'execution'",
    ),
  };
}

/** The prepared statements. */
export type Statements = ReturnType<typeof prepareStatements>;
