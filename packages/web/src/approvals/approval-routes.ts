/**
 * The approval pages, reached by signed links: `GET /approvals/:approvalId?expires=&signature=`
 * shows the review page (the link's signature is the credential to see it) and never changes
 * anything (mail scanners prefetch links). Deciding needs more than the link — anyone the email
 * reaches has that: `POST /approvals/:approvalId` (a form: expires, signature, _csrf,
 * decision=approve|reject, comment) needs a signed-in user (dashboard session: a per-user token
 * or OpenID Connect) whom the users file allows to decide this action, checks the link again,
 * records the decision with the verified identity, lets the runtime continue, and redirects
 * (303) back to the page. Refusals (not signed in, not allowed, another site, a bad CSRF token,
 * a tampered or expired link) are 4xx pages and append nothing.
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
import { requestOriginOf, sessionIdentity, sessionOf } from '../dashboard/dashboard-auth.ts';
import { csrfToken, type DashboardSession, fromOwnPages, validCsrf } from '../dashboard/session.ts';
import type { WebDeps } from '../deps.ts';
import { html } from '../html/escape.ts';
import { messagePage, sendPage } from '../html/page.ts';
import { authorizeDecision, directoryOf } from '../identity/authorize-decision.ts';
import { approvalPage, type Decider, decisionSentence } from './approval-page.ts';
import { findLinkedApproval, type LinkCredential, type LinkedApproval, linkPath } from './find-approval.ts';

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
  _csrf: z.string().default(''),
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

function deciderOf(
  c: Context,
  deps: WebDeps,
  found: Extract<LinkedApproval, { kind: 'found' }>,
  page: string,
): Decider {
  const session = sessionOf(c, deps);
  if (session === undefined) return { kind: 'signed-out', signIn: `/login?next=${encodeURIComponent(page)}` };
  const target = {
    pipeline: found.view.pipelineName,
    stageName: found.approval.stageName,
    actionName: found.approval.actionName,
  };
  if (!directoryOf(deps).mayDecide(sessionIdentity(session), target)) {
    return { kind: 'refused', user: session.user };
  }
  return { kind: 'allowed', user: session.user, csrf: csrfToken(deps.apiToken, session) };
}

/** Why a decision sent from the page is refused (403), or `undefined` when it may go ahead. */
function decisionRefusal(
  c: Context,
  deps: WebDeps,
  session: DashboardSession | undefined,
  decider: Decider,
  csrf: string,
): { title: string; message: string } | undefined {
  if (session === undefined || decider.kind === 'signed-out') {
    return {
      title: 'Sign in to decide',
      message:
        'Deciding an approval needs a signed-in approver; nothing was recorded. Open the link again, sign in, and decide.',
    };
  }
  if (!fromOwnPages(requestOriginOf(c)) || !validCsrf(deps.apiToken, session, csrf)) {
    return {
      title: 'Refused',
      message:
        'The decision was not sent from this approval page of your session; nothing was recorded. Open the link again and decide there.',
    };
  }
  if (decider.kind === 'refused') {
    return {
      title: 'You may not decide this approval',
      message: `${session.user} may not decide this approval; nothing was recorded. Ask an admin to name you (or your group) in the approval rules of the users file.`,
    };
  }
  return undefined;
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
    const decider = deciderOf(c, deps, found, linkPath(approvalId, link));
    const page = approvalPage({ view: found.view, approval: found.approval, approvalId, link, decider });
    return sendPage(c, 200, page.title, page.body);
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
    const session = sessionOf(c, deps);
    const decider = deciderOf(c, deps, found, linkPath(approvalId, link));
    const decidedPage = (approval = found.approval, view = found.view) => {
      const notice = html`This approval is already ${decisionSentence(approval)}; an approval is decided once.`;
      const { title, body } = approvalPage({ view, approval, approvalId, link, decider, notice });
      return sendPage(c, 409, title, body);
    };
    if (found.approval.status !== 'Pending') return decidedPage();
    const refusal = decisionRefusal(c, deps, session, decider, form.data._csrf);
    if (refusal !== undefined) return messagePage(c, 403, refusal.title, refusal.message);
    const executionId = found.view.pipelineExecutionId;
    try {
      const request = await authorizeDecision(
        deps,
        sessionIdentity(session as DashboardSession),
        {
          executionId,
          approvalId,
          status: form.data.decision === 'approve' ? 'Approved' : 'Rejected',
          ...(form.data.comment === undefined || form.data.comment.trim() === ''
            ? {}
            : { summary: form.data.comment }),
        },
        at.toISOString(),
      );
      await recordApprovalDecision(deps.store, request, at.toISOString());
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
