/**
 * The approval pages, reached by signed links (the signature is the credential; no API
 * token): `GET /approvals/:approvalId?expires=&signature=` shows the review page and never
 * changes anything (mail scanners prefetch links); `POST /approvals/:approvalId` (a form:
 * expires, signature, decision=approve|reject, comment, name) checks the link again, records
 * the decision, lets the runtime continue, and redirects (303) back to the page, which then
 * shows the decision.
 *
 * @example
 * ```ts
 * app.route('/approvals', approvalRoutes(deps));
 * ```
 */
import { ExecutionStateError } from '@pipewright/core';
import { recordApprovalDecision } from '@pipewright/engine';
import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { settleQuietly } from '../api/executions.ts';
import type { WebDeps } from '../deps.ts';
import { html } from '../html/escape.ts';
import { messagePage, sendPage } from '../html/page.ts';
import { approvalPage, decisionSentence } from './approval-page.ts';
import { findLinkedApproval, type LinkCredential, type LinkedApproval } from './find-approval.ts';

/** The actor of a decision made on the page without a name. @example `{ kind: 'user', id: 'approval-link' }` */
export const LINK_ACTOR_ID = 'approval-link';

/** What a decision page says when the pipeline had stopped waiting for the approval (its task had closed). @example `STOPPED_WAITING.title` */
export const STOPPED_WAITING = {
  title: 'The pipeline stopped waiting for this approval',
  message:
    'Your decision was recorded, but the approval had already timed out in the pipeline (TaskTimedOut) or its execution was stopped, so the execution does not continue from it. Release the change again to start a new execution.',
} as const;

/** The decision form. @example `{ expires: '1767916800', signature: 'ab12…', decision: 'approve', comment: 'ok' }` */
export const DecisionFormSchema = z.object({
  expires: z.string().default(''),
  signature: z.string().default(''),
  decision: z.enum(['approve', 'reject'], { message: 'choose Approve or Reject' }),
  comment: z.string().max(512, { message: 'a comment has at most 512 characters' }).optional(),
  name: z.string().max(100, { message: 'a name has at most 100 characters' }).optional(),
});

function refused(c: Context, found: Exclude<LinkedApproval, { kind: 'found' }>): Response {
  if (found.kind === 'forbidden') {
    return messagePage(
      c,
      403,
      'This approval link cannot be used',
      `${found.reason}. Ask for a new link if the approval is still waiting.`,
    );
  }
  return messagePage(
    c,
    404,
    'Approval not found',
    `There is no approval ${found.approvalId} in the event log; check that the link is complete.`,
  );
}

function credential(c: Context): LinkCredential {
  return { expires: c.req.query('expires') ?? '', signature: c.req.query('signature') ?? '' };
}

/**
 * The routes, to mount at `/approvals`.
 *
 * @example
 * ```ts
 * new Hono().route('/approvals', approvalRoutes(deps));
 * ```
 */
export function approvalRoutes(deps: WebDeps): Hono {
  const routes = new Hono();
  const now = () => deps.now?.() ?? new Date();

  routes.get('/:approvalId', async (c) => {
    const approvalId = c.req.param('approvalId');
    const link = credential(c);
    const found = await findLinkedApproval(deps, approvalId, link, now());
    if (found.kind !== 'found') return refused(c, found);
    const { title, body } = approvalPage({ view: found.view, approval: found.approval, approvalId, link });
    return sendPage(c, 200, title, body);
  });

  routes.post('/:approvalId', async (c) => {
    const approvalId = c.req.param('approvalId');
    const form = DecisionFormSchema.safeParse(await c.req.parseBody());
    if (!form.success) {
      const problems = form.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`);
      return messagePage(
        c,
        400,
        'The decision was not sent',
        `${problems.join('; ')}. Go back and try again.`,
      );
    }
    const link = { expires: form.data.expires, signature: form.data.signature };
    const at = now();
    const found = await findLinkedApproval(deps, approvalId, link, at);
    if (found.kind !== 'found') return refused(c, found);
    const decidedPage = (approval = found.approval, view = found.view) => {
      const notice = html`This approval is already ${decisionSentence(approval)}; an approval is decided once.`;
      const { title, body } = approvalPage({ view, approval, approvalId, link, notice });
      return sendPage(c, 409, title, body);
    };
    if (found.approval.status !== 'Pending') return decidedPage();
    const executionId = found.view.pipelineExecutionId;
    const name = form.data.name?.trim() ?? '';
    try {
      await recordApprovalDecision(
        deps.store,
        {
          executionId,
          approvalId,
          status: form.data.decision === 'approve' ? 'Approved' : 'Rejected',
          actor: { kind: 'user', id: name === '' ? LINK_ACTOR_ID : name },
          ...(form.data.comment === undefined || form.data.comment.trim() === ''
            ? {}
            : { summary: form.data.comment }),
        },
        at.toISOString(),
      );
    } catch (e) {
      if (!(e instanceof ExecutionStateError)) throw e;
      const again = await findLinkedApproval(deps, approvalId, link, at);
      if (again.kind === 'found' && again.approval.status !== 'Pending') {
        return decidedPage(again.approval, again.view);
      }
      return messagePage(c, 409, 'The decision was refused', e.message.replace(/^\[PW\d+\] /, ''));
    }
    const closed = await settleQuietly(deps, executionId);
    const mine = found.approval;
    if (closed.some((t) => t.stageName === mine.stageName && t.actionName === mine.actionName)) {
      return messagePage(c, 409, STOPPED_WAITING.title, STOPPED_WAITING.message);
    }
    return c.redirect(
      `${encodeURIComponent(approvalId)}?expires=${encodeURIComponent(link.expires)}&signature=${encodeURIComponent(link.signature)}`,
      303,
    );
  });

  return routes;
}
