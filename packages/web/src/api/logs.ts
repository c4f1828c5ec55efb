/**
 * `GET /api/executions/:id/logs/:stage/:action?stageAttempt=&attempt=&follow=1&from=`: the stored log
 * of an action attempt as `text/plain` — the latest attempt unless the query names one. With
 * `follow=1` the response streams (chunked): what the log holds, then new bytes as they are
 * written, ending when the attempt ends. `from=N` starts after the log's first N bytes (a
 * follower that was interrupted resumes there).
 *
 * @example
 * ```ts
 * routes.get('/:id/logs/:stage/:action', actionLogRoute(deps));
 * ```
 */
import type { ActionAttemptView } from '@pipewright/core';
import { type ActionLogRef, readExecution } from '@pipewright/engine';
import type { Handler } from 'hono';
import * as z from 'zod';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { followLog } from './follow-log.ts';
import { parseWith } from './request.ts';

/** Query of the log route. @example `{ stageAttempt: '0', attempt: '2', follow: '1' }` */
export const LogQuerySchema = z.object({
  stageAttempt: z.coerce.number().int().min(0).optional(),
  attempt: z.coerce.number().int().min(1).optional(),
  /** Stream the log until the attempt ends. */
  follow: z
    .enum(['1', 'true', '0', 'false'], { error: 'must be 1 (stream until the attempt ends) or 0' })
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  /** Skip the log's first bytes (resume an interrupted read). */
  from: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

/**
 * The attempt a query names: the latest one matching what it gives.
 *
 * @example
 * ```ts
 * pickAttempt(action.attempts, { attempt: 1 })?.actionExecutionId;
 * ```
 */
export function pickAttempt(
  attempts: readonly ActionAttemptView[],
  query: { stageAttempt?: number | undefined; attempt?: number | undefined },
): ActionAttemptView | undefined {
  return attempts
    .filter(
      (a) =>
        (query.stageAttempt === undefined || a.stageAttempt === query.stageAttempt) &&
        (query.attempt === undefined || a.attempt === query.attempt),
    )
    .at(-1);
}

/**
 * The handler.
 *
 * @example
 * ```ts
 * new Hono().get('/api/executions/:id/logs/:stage/:action', actionLogRoute(deps));
 * ```
 */
export function actionLogRoute(deps: WebDeps): Handler {
  return async (c) => {
    const executionId = c.req.param('id') ?? '';
    const stageName = c.req.param('stage') ?? '';
    const actionName = c.req.param('action') ?? '';
    const query = parseWith(LogQuerySchema, c.req.query(), 'query');
    const { view } = await readExecution(deps.store, executionId);
    const name = `${stageName}/${actionName}`;
    const action = view.stages
      .find((s) => s.stageName === stageName)
      ?.actions.find((a) => a.actionName === actionName);
    if (action === undefined) {
      const names = view.stages.flatMap((s) => s.actions.map((a) => `${s.stageName}/${a.actionName}`));
      throw new WebError(
        'NotFound',
        `execution ${executionId} has no action ${name}; its actions are: ${names.join(', ') || 'none'}`,
      );
    }
    if (action.attempts.length === 0) {
      throw new WebError(
        'NotFound',
        `${name} has not run in execution ${executionId} (it is ${action.status}), so it has no log yet`,
      );
    }
    const chosen = pickAttempt(action.attempts, query);
    if (chosen === undefined) {
      const have = action.attempts
        .map((a) => `stageAttempt=${a.stageAttempt}&attempt=${a.attempt}`)
        .join(', ');
      throw new WebError(
        'NotFound',
        `${name} has no such attempt in execution ${executionId}; it has: ${have}`,
      );
    }
    const ref: ActionLogRef = {
      executionId,
      stageName,
      actionName,
      stageAttempt: chosen.stageAttempt,
      attempt: chosen.attempt,
    };
    // An attempt that has ended is answered whole, as without `follow`.
    if (query.follow && chosen.status === 'InProgress') {
      return new Response(followLog(deps, ref, undefined, query.from ?? 0), {
        headers: {
          'content-type': 'text/plain; charset=UTF-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'x-pipewright-stage-attempt': String(chosen.stageAttempt),
          'x-pipewright-attempt': String(chosen.attempt),
        },
      });
    }
    const text = await deps.logs.read(ref);
    if (text === undefined) {
      throw new WebError(
        'NotFound',
        `no log stored for ${name} (stageAttempt ${chosen.stageAttempt}, attempt ${chosen.attempt}) of execution ${executionId}; the process that ran it may have stopped before writing one`,
      );
    }
    c.header('X-Pipewright-Stage-Attempt', String(chosen.stageAttempt));
    c.header('X-Pipewright-Attempt', String(chosen.attempt));
    if (query.from !== undefined && query.from > 0) {
      const bytes = new TextEncoder().encode(text);
      return c.body(bytes.subarray(Math.min(query.from, bytes.length)), 200, {
        'content-type': 'text/plain; charset=UTF-8',
      });
    }
    return c.text(text);
  };
}
