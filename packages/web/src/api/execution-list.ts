/**
 * A pipeline's executions as list rows (CodePipeline's `PipelineExecutionSummary` plus
 * `durationMs`), newest first, a page at a time, optionally only those with one status.
 *
 * The cursor is this app's own (opaque, base64url): the store's cursor of the page being
 * read, plus the last execution returned from it, so a page filtered by status can end in the
 * middle of a store page and the next one resumes right after it.
 *
 * @example
 * ```ts
 * const page = await listExecutionRows(store, 'web-app', { limit: 20, status: 'Failed' });
 * page.nextCursor; // pass back as `cursor` for the next page
 * ```
 */
import {
  type EventStore,
  type ExecutionStatus,
  type ExecutionSummary,
  type NotStarted,
  summarizeExecution,
} from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import { WebError } from '../errors.ts';

/** A list row: the summary and, once ended, how long it took. @example `{ pipelineExecutionId: '7f0c', status: 'Succeeded', durationMs: 5120, … }` */
export type ExecutionRow = ExecutionSummary & { durationMs?: number };

/** Executions read at most per request when filtering by status (the rest is on the next page). */
export const MAX_SCANNED = 500;

/**
 * The list row of one execution.
 *
 * @example
 * ```ts
 * (await executionRow(store, '7f0c')).status; // 'Succeeded'
 * ```
 */
export async function executionRow(store: EventStore, executionId: string): Promise<ExecutionRow> {
  const { view } = await readExecution(store, executionId);
  const summary = summarizeExecution(view);
  if (view.startedAt === undefined || view.endedAt === undefined) return summary;
  const ms = Date.parse(view.endedAt) - Date.parse(view.startedAt);
  return Number.isFinite(ms) ? { ...summary, durationMs: ms } : summary;
}

interface Position {
  /** The store cursor of the page to read (none: the first page). */
  after?: string;
  /** The last execution returned from that page. */
  last?: string;
  /** Entries of that page already returned (used when `last` is gone). */
  skip: number;
  /** Store page size. */
  size: number;
}

function encodeCursor(position: Position): string {
  const bytes = new TextEncoder().encode(JSON.stringify(position));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

function decodeCursor(cursor: string): Position {
  try {
    const text = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    const value = JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (ch) => ch.charCodeAt(0))));
    if (
      typeof value === 'object' &&
      value !== null &&
      Number.isInteger(value.skip) &&
      value.skip >= 0 &&
      Number.isInteger(value.size) &&
      value.size >= 1 &&
      value.size <= 1000 &&
      (value.after === undefined || typeof value.after === 'string') &&
      (value.last === undefined || typeof value.last === 'string')
    ) {
      return value as Position;
    }
  } catch {
    // reported below
  }
  throw new WebError(
    'ValidationError',
    'query.cursor: not a cursor of this list; pass the nextCursor of the previous page, or none for the first',
  );
}

/**
 * One page of a pipeline's executions, newest first.
 *
 * @example
 * ```ts
 * const { executions, nextCursor } = await listExecutionRows(store, 'web-app', { limit: 10 });
 * ```
 */
export async function listExecutionRows(
  store: EventStore,
  pipeline: string,
  options: { limit: number; status?: ExecutionStatus | NotStarted; cursor?: string },
): Promise<{ executions: ExecutionRow[]; nextCursor?: string }> {
  const { limit, status } = options;
  let position: Position =
    options.cursor === undefined
      ? { skip: 0, size: status === undefined ? limit : Math.min(Math.max(limit * 4, 50), 200) }
      : decodeCursor(options.cursor);
  const rows: ExecutionRow[] = [];
  let scanned = 0;
  for (;;) {
    const page = await store.listExecutions(pipeline, {
      limit: position.size,
      ...(position.after === undefined ? {} : { cursor: position.after }),
    });
    const entries = page.executions;
    const resumeAt =
      position.last === undefined ? -1 : entries.findIndex((e) => e.executionId === position.last);
    for (let i = resumeAt >= 0 ? resumeAt + 1 : position.skip; i < entries.length; i++) {
      const entry = entries[i];
      if (entry === undefined) continue;
      const row = await executionRow(store, entry.executionId);
      scanned++;
      if (status === undefined || row.status === status) rows.push(row);
      if (rows.length >= limit || scanned >= MAX_SCANNED) {
        const next: Position | undefined =
          i + 1 < entries.length
            ? { ...position, last: entry.executionId, skip: i + 1 }
            : page.nextCursor === undefined
              ? undefined
              : { after: page.nextCursor, skip: 0, size: position.size };
        return next === undefined
          ? { executions: rows }
          : { executions: rows, nextCursor: encodeCursor(next) };
      }
    }
    if (page.nextCursor === undefined) return { executions: rows };
    position = { after: page.nextCursor, skip: 0, size: position.size };
  }
}
