/**
 * The event log port. One ordered stream per execution (`execution-<id>`) and one per
 * pipeline (`pipeline-<name>`); every fact is appended with the next sequence number, under
 * optimistic concurrency. Adapters: SQLite (local), DynamoDB (AWS). Every adapter runs the
 * one contract suite in `test/contracts/event-store.contract.ts`.
 *
 * @example
 * ```ts
 * const { version } = await store.append('execution-7f0c', [started], { expectedVersion: 0, pipeline: 'web-app' });
 * const events = await store.read('execution-7f0c');
 * ```
 *
 * What grows and what gates read are kept apart: a pipeline's stream (`pipeline-<name>`) holds
 * versions, transitions, locks and queues, with a snapshot of its fold on its head (one read
 * whatever its history); the triggers it received go to `triggers-<name>`, each found by its id.
 */

import type { EventActor } from '../events/event-parts.ts';

/** An event to append: the store assigns `stream` and `seq`. `id` is deterministic (DESIGN.md §1.5). */
export interface NewEventRecord {
  id: string;
  type: string;
  /** ISO-8601 time, given by the caller's clock. */
  at: string;
  actor?: EventActor;
  data: unknown;
}

/** An event as stored: the stream it belongs to and its 1-based position there. */
export interface EventRecord extends NewEventRecord {
  stream: string;
  seq: number;
}

export interface AppendOptions {
  /**
   * The stream's version (its last `seq`, 0 for a new stream) the caller decided on. The
   * append fails with `ConcurrencyConflictError` when the stream has moved on, unless every
   * event in the batch is already stored (a duplicate delivery), which is a no-op.
   * `'any'` appends at the end whatever the version (for facts that commute, e.g. log-like events).
   */
  expectedVersion: number | 'any';
  /** The pipeline an `execution-` stream belongs to; recorded when the stream is created, for `listExecutions`. */
  pipeline?: string;
  /**
   * The stream's state folded through this append (JSON-serialisable, small: a few KB), stored
   * on the stream's head in the same atomic write; {@link EventStore.head} gives it back with
   * the version it was folded to, so a reader folds only what came after it. Stored only when
   * every event of the batch is fresh; otherwise the head keeps its previous snapshot.
   */
  snapshot?: unknown;
}

/** A snapshot stored with an append: the state folded through the event at `version`. @example `{ version: 42, data: { format: 1, view } }` */
export interface StreamSnapshot {
  version: number;
  data: unknown;
}

/**
 * What a stream's head holds: its version and its latest snapshot, if any append stored one.
 *
 * @example
 * ```ts
 * const { version, snapshot } = await store.head('pipeline-web-app');
 * const after = await store.read('pipeline-web-app', { fromSeq: (snapshot?.version ?? 0) + 1 }); // [] when current
 * ```
 */
export interface StreamHead {
  /** The stream's last seq; 0 when it does not exist. */
  version: number;
  snapshot?: StreamSnapshot;
}

export interface AppendResult {
  /** The stream's version after the append. */
  version: number;
  /** The events written now, with their `seq`. */
  appended: EventRecord[];
  /** Ids in the batch that were already in the stream (skipped). */
  duplicates: string[];
}

/** One execution in a pipeline's list of executions. */
export interface ExecutionListEntry {
  executionId: string;
  stream: string;
  pipeline: string;
  /** `at` of the stream's first event. */
  startedAt: string;
}

export interface ListExecutionsOptions {
  /** At most this many (default 50, at most 1,000). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface ExecutionPage {
  executions: ExecutionListEntry[];
  nextCursor?: string;
}

/** The stream id of an execution's events. */
export function executionStream(executionId: string): string {
  return `execution-${executionId}`;
}

/** The stream id of a pipeline's own events (definitions, transitions, locks, queue; in older logs also triggers). */
export function pipelineStream(pipeline: string): string {
  return `pipeline-${pipeline}`;
}

/**
 * The stream id of the triggers a pipeline received (`TriggerReceived`): it grows with every
 * delivery, so it is kept apart from the pipeline's stream that gates read.
 *
 * @example
 * ```ts
 * triggerStream('web-app'); // 'triggers-web-app'
 * ```
 */
export function triggerStream(pipeline: string): string {
  return `triggers-${pipeline}`;
}

/** The event store port. */
export interface EventStore {
  /** Appends atomically: all events of the batch or none. Duplicate ids (already in the stream) are skipped. */
  append(stream: string, events: readonly NewEventRecord[], options: AppendOptions): Promise<AppendResult>;
  /** Events of a stream in order, from `fromSeq` (default 1), at most `limit`. An unknown stream reads as empty. */
  read(stream: string, options?: { fromSeq?: number; limit?: number }): Promise<EventRecord[]>;
  /** The stream's last seq; 0 when it does not exist. */
  version(stream: string): Promise<number>;
  /** The stream's version and latest snapshot, in one read of its head whatever its length. */
  head(stream: string): Promise<StreamHead>;
  /** The event of `stream` with this id, or `undefined`: one lookup whatever the stream's length. */
  find(stream: string, id: string): Promise<EventRecord | undefined>;
  /** A pipeline's executions, newest first (by start time, then execution id), with paging. */
  listExecutions(pipeline: string, options?: ListExecutionsOptions): Promise<ExecutionPage>;
  /** Releases resources (files, connections). */
  close(): Promise<void>;
}
