/**
 * The execution routes of the API: the execution view (exactly the fold of its events), its
 * events, stop, and approval decisions.
 *
 * @example
 * ```ts
 * api.route('/executions', executionRoutes(deps));
 * // GET /api/executions/7f0c, GET /api/executions/7f0c/events?from=10,
 * // POST /api/executions/7f0c/stop, POST /api/executions/7f0c/approvals
 * ```
 */
import { executionStream } from '@pipewright/core';
import { readExecution, recordApprovalDecision, UnknownExecutionError } from '@pipewright/engine';
import { Hono } from 'hono';
import * as z from 'zod';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { authorizeDecision } from '../identity/authorize-decision.ts';
import { actionLogRoute } from './logs.ts';
import { apiActor, jsonBody, parseWith } from './request.ts';

/** Query of `GET /api/executions/:id/events`. @example `{ from: '10' }` */
export const EventsQuerySchema = z.object({
  from: z.coerce.number().int().min(1).default(1),
});

/** Body of `POST /api/executions/:id/stop`. @example `{ abandon: true, reason: 'wrong branch' }` */
export const StopBodySchema = z.strictObject({
  abandon: z.boolean().default(false),
  reason: z.string().max(200).optional(),
});

/** Body of `POST /api/executions/:id/approvals`. @example `{ status: 'Rejected', comment: 'not during the freeze', action: 'Approve/Release' }` */
export const ApprovalBodySchema = z.strictObject({
  status: z.enum(['Approved', 'Rejected']),
  comment: z.string().max(512).optional(),
  /** The approval action (`Action` or `Stage/Action`) when several wait. */
  action: z.string().min(1).optional(),
  approvalId: z.string().min(1).optional(),
});

/**
 * Settles an execution after a decision, where this process runs executions. A failure is
 * reported, not thrown: the decision is recorded either way, and the runtime answers the
 * waiting task when it next settles or resumes the execution.
 *
 * @example
 * ```ts
 * await settleQuietly(deps, executionId);
 * ```
 */
export async function settleQuietly(
  deps: WebDeps,
  executionId: string,
): Promise<{ stageName: string; actionName: string }[]> {
  try {
    return (await deps.control?.settle(executionId))?.closed ?? [];
  } catch (e) {
    deps.onError?.(e);
    return [];
  }
}

/**
 * The routes, to mount at `/api/executions`.
 *
 * @example
 * ```ts
 * new Hono().route('/api/executions', executionRoutes(deps));
 * ```
 */
export function executionRoutes(deps: WebDeps): Hono {
  const routes = new Hono();
  const now = () => deps.now?.() ?? new Date();

  routes.get('/:id', async (c) => {
    const { view } = await readExecution(deps.store, c.req.param('id'));
    return c.json(view);
  });

  routes.get('/:id/events', async (c) => {
    const executionId = c.req.param('id');
    const { from } = parseWith(EventsQuerySchema, c.req.query(), 'query');
    const stream = executionStream(executionId);
    const lastSeq = await deps.store.version(stream);
    if (lastSeq === 0) throw new UnknownExecutionError(executionId);
    const events = await deps.store.read(stream, { fromSeq: from });
    return c.json({ executionId, lastSeq, events });
  });

  routes.get('/:id/logs/:stage/:action', actionLogRoute(deps));

  routes.post('/:id/stop', async (c) => {
    const executionId = c.req.param('id');
    const body = await jsonBody(c, StopBodySchema);
    const actor = apiActor(c);
    if (deps.control === undefined) {
      throw new WebError(
        'NotImplemented',
        'this server does not run executions; stop the execution where it runs (pipewright serve)',
      );
    }
    await readExecution(deps.store, executionId);
    await deps.control.stop(executionId, {
      abandon: body.abandon,
      ...(body.reason === undefined ? {} : { reason: body.reason }),
      actor,
    });
    return c.json((await readExecution(deps.store, executionId)).view);
  });

  routes.post('/:id/approvals', async (c) => {
    const executionId = c.req.param('id');
    const body = await jsonBody(c, ApprovalBodySchema);
    const at = now().toISOString();
    const request = await authorizeDecision(
      deps,
      c.get('identity'),
      {
        executionId,
        status: body.status,
        ...(body.comment === undefined ? {} : { summary: body.comment }),
        ...(body.action === undefined ? {} : { actionName: body.action }),
        ...(body.approvalId === undefined ? {} : { approvalId: body.approvalId }),
      },
      at,
    );
    const { approval } = await recordApprovalDecision(deps.store, request, at);
    await settleQuietly(deps, executionId);
    const { view } = await readExecution(deps.store, executionId);
    const decided = view.approvals.find((a) => a.approvalId === approval.approvalId) ?? approval;
    return c.json({ approval: decided, executionStatus: view.status });
  });

  return routes;
}
