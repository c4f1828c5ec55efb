/**
 * What the reading commands (`executions`, `show`, `events`, `logs`) read from a running
 * server's API when one is named, in the shapes they read from the local event log, so both
 * render through the same functions.
 *
 * @example
 * ```ts
 * const view = await serverExecution(server, '7f0c'); // ExecutionView, as readExecution gives it
 * ```
 */
import type { EventRecord, ExecutionView } from '@pipewright/core';
import type { ExecutionRow } from './render/execution-list.ts';
import { callServer, getFromServer, type ServerRef } from './server-client.ts';

const id = encodeURIComponent;

/**
 * An execution's view (`GET /api/executions/:id`).
 *
 * @example
 * ```ts
 * (await serverExecution(server, '7f0c')).status; // 'Succeeded'
 * ```
 */
export function serverExecution(server: ServerRef, executionId: string): Promise<ExecutionView> {
  return callServer<ExecutionView>(server, 'GET', `/api/executions/${id(executionId)}`);
}

/**
 * An execution's events from a sequence number, and its last sequence number
 * (`GET /api/executions/:id/events?from=`).
 *
 * @example
 * ```ts
 * const { lastSeq, events } = await serverEvents(server, '7f0c', 1);
 * ```
 */
export function serverEvents(
  server: ServerRef,
  executionId: string,
  from: number,
): Promise<{ lastSeq: number; events: EventRecord[] }> {
  return callServer(server, 'GET', `/api/executions/${id(executionId)}/events?from=${from}`);
}

/**
 * A page of a pipeline's executions, newest first (`GET /api/pipelines/:name/executions`); the
 * cursor is the server's own.
 *
 * @example
 * ```ts
 * const { executions, nextCursor } = await serverExecutionPage(server, 'web-app', { limit: 20 });
 * ```
 */
export function serverExecutionPage(
  server: ServerRef,
  pipeline: string,
  options: { limit: number; cursor?: string },
): Promise<{ executions: ExecutionRow[]; nextCursor?: string }> {
  const query = new URLSearchParams({ limit: String(options.limit) });
  if (options.cursor !== undefined) query.set('cursor', options.cursor);
  return callServer(server, 'GET', `/api/pipelines/${id(pipeline)}/executions?${query}`);
}

/**
 * The log of one action attempt (`GET /api/executions/:id/logs/:stage/:action`); with `follow`,
 * the response streams until the attempt ends.
 *
 * @example
 * ```ts
 * const res = await serverLog(server, { executionId, stageName: 'Build', actionName: 'Compile', stageAttempt: 0, attempt: 1 }, true);
 * ```
 */
export function serverLog(
  server: ServerRef,
  ref: { executionId: string; stageName: string; actionName: string; stageAttempt: number; attempt: number },
  follow = false,
): Promise<Response> {
  const query = new URLSearchParams({ stageAttempt: String(ref.stageAttempt), attempt: String(ref.attempt) });
  if (follow) query.set('follow', '1');
  return getFromServer(
    server,
    `/api/executions/${id(ref.executionId)}/logs/${id(ref.stageName)}/${id(ref.actionName)}?${query}`,
  );
}
