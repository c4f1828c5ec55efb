/**
 * What the dashboard's forms do (each behind the session and CSRF guards, recorded with the
 * signed-in user as the actor): release a change, disable or enable a transition, stop an
 * execution, retry a failed stage, approve or reject. Each answers with a redirect (303) back
 * to the page with a short confirmation, or with a page saying why nothing was done (400 bad
 * input, 404 unknown, 409 refused by the execution's state, 501 not run here).
 *
 * @example
 * ```ts
 * routes.post('/pipelines/:name/release', requireSession(deps), requireCsrf(deps), releaseAction(ctx));
 * ```
 */
import { type EventActor, RETRY_MODES, TRANSITION_REASON_MAX } from '@pipewright/core';
import { recordApprovalDecision } from '@pipewright/engine';
import type { Context, Handler } from 'hono';
import * as z from 'zod';
import { settleQuietly } from '../api/executions.ts';
import { STOPPED_WAITING } from '../approvals/approval-routes.ts';
import { controlWith, type WebControl, type WebControlWith } from '../deps.ts';
import { toWebError, WebError } from '../errors.ts';
import { html } from '../html/escape.ts';
import { authorizeDecision } from '../identity/authorize-decision.ts';
import { can, identityActor } from '../identity/identity.ts';
import { type DashboardEnv, sessionIdentity } from './dashboard-auth.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { executionOf } from './execution-page.ts';
import { executionPath, pipelinePath } from './format.ts';
import { sendDashboardPage } from './layout.ts';
import { servedPipeline } from './live-views.ts';

/** Confirmations a redirect may ask a page to show (`?done=`). @example `DONE_MESSAGES.retried` */
export const DONE_MESSAGES: Readonly<Record<string, string>> = {
  released: 'The change was released: this execution started.',
  stopped: 'The execution is stopping.',
  retried: 'The stage is being retried.',
  approved: 'Approved.',
  rejected: 'Rejected.',
  disabled: 'The transition is disabled.',
  enabled: 'The transition is enabled.',
};

const ReleaseFormSchema = z.record(z.string(), z.union([z.string(), z.instanceof(File)]));
const TransitionFormSchema = z.object({
  enable: z.enum(['0', '1'], { message: 'choose Disable or Enable' }),
  reason: z
    .string()
    .trim()
    .max(TRANSITION_REASON_MAX, { message: `at most ${TRANSITION_REASON_MAX} characters` })
    .optional(),
});
const StopFormSchema = z.object({
  abandon: z.enum(['1']).optional(),
  reason: z.string().trim().max(200, { message: 'at most 200 characters' }).optional(),
});
const RetryFormSchema = z.object({
  stageName: z.string().min(1, { message: 'name the stage' }),
  retryMode: z.enum(RETRY_MODES, { message: 'choose Retry failed or Retry all' }),
  back: z.string().optional(),
});
const DecisionFormSchema = z.object({
  approvalId: z.string().min(1, { message: 'name the approval' }),
  decision: z.enum(['approve', 'reject'], { message: 'choose Approve or Reject' }),
  comment: z.string().max(512, { message: 'at most 512 characters' }).optional(),
  back: z.string().optional(),
});

function actor(c: Context<DashboardEnv>): EventActor {
  return identityActor(sessionIdentity(c.get('session')));
}

/** Refuses (403) a signed-in user whose roles do not allow operating pipelines. */
function mayOperate(c: Context<DashboardEnv>): void {
  const identity = sessionIdentity(c.get('session'));
  if (!can(identity, 'operate')) {
    throw new WebError(
      'Forbidden',
      `${identity.user} (roles: ${identity.roles.join(', ')}) may not operate pipelines; ask an admin for the operator role`,
    );
  }
}

async function form<T extends z.ZodType>(c: Context<DashboardEnv>, schema: T): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await c.req.parseBody());
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`);
  throw new WebError('ValidationError', `${problems.join('; ')}. Go back and try again.`);
}

function control<K extends keyof WebControl>(ctx: DashboardContext, method: K): WebControlWith<K> {
  const found = controlWith(ctx.deps.control, method);
  if (found === undefined) {
    throw new WebError(
      'NotImplemented',
      'this server does not run executions; do this where the pipeline runs (pipewright serve)',
    );
  }
  return found;
}

/** A local path of the same pipeline to go back to, else the pipeline's page. */
function backTo(pipeline: string, back: string | undefined): string {
  const home = pipelinePath(pipeline);
  if (back === undefined || (back !== home && !back.startsWith(`${home}/`)) || /[\p{Cc}\\]/u.test(back))
    return home;
  return back;
}

function done(path: string, what: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}done=${what}`;
}

/** What was done could not have the effect asked for (answered 409 with its own title). */
interface Unfulfilled {
  title: string;
  message: string;
}

/** Runs an action: a path redirects there; errors and {@link Unfulfilled} become a page that says why and links back. */
function act(
  ctx: DashboardContext,
  work: (c: Context<DashboardEnv>, name: string) => Promise<string | Unfulfilled>,
  permission: 'operate' | 'approve' = 'operate',
): Handler<DashboardEnv> {
  return async (c) => {
    const name = c.req.param('name') ?? '';
    const back = () => (ctx.deps.pipelines.get(name) === undefined ? '/' : pipelinePath(name));
    const answer = (status: 400 | 403 | 404 | 409 | 413 | 500 | 501, title: string, message: string) =>
      sendDashboardPage(
        c,
        status,
        { title, session: c.get('session'), nav: 'pipelines', narrow: true },
        html`<h1>${title}</h1>
<p class="notice" role="alert">${message}</p>
<p><a href="${back()}">Back to ${back() === '/' ? 'the pipelines' : name}</a></p>`,
        c.get('csrf'),
      );
    try {
      servedPipeline(ctx, name);
      if (permission === 'operate') mayOperate(c);
      const done = await work(c, name);
      if (typeof done === 'string') return c.redirect(done, 303);
      return answer(409, done.title, done.message);
    } catch (e) {
      const error = toWebError(e, ctx.deps.onError);
      return answer(error.status === 401 ? 403 : error.status, 'Nothing was done', error.message);
    }
  };
}

/**
 * `POST /pipelines/:name/release`: starts an execution with the form's `var.<NAME>` values as
 * variable overrides; redirects to the new execution.
 *
 * @example
 * ```ts
 * routes.post('/pipelines/:name/release', guard, releaseAction(ctx));
 * ```
 */
export function releaseAction(ctx: DashboardContext): Handler<DashboardEnv> {
  return act(ctx, async (c, name) => {
    const fields = await form(c, ReleaseFormSchema);
    // No prototype: a field named var.__proto__ is a variable name like any other (and refused as undeclared).
    const variables: Record<string, string> = Object.create(null);
    for (const [key, value] of Object.entries(fields)) {
      if (!key.startsWith('var.') || typeof value !== 'string') continue;
      variables[key.slice(4)] = value;
    }
    const { executionId } = await control(ctx, 'start').start({
      pipeline: name,
      ...(Object.keys(variables).length === 0 ? {} : { variables }),
      actor: actor(c),
    });
    return done(executionPath(name, executionId), 'released');
  });
}

/**
 * `POST /pipelines/:name/transitions/:stage`: `enable=0` with a `reason` disables the stage's
 * inbound transition, `enable=1` enables it.
 *
 * @example
 * ```ts
 * routes.post('/pipelines/:name/transitions/:stage', guard, transitionAction(ctx));
 * ```
 */
export function transitionAction(ctx: DashboardContext): Handler<DashboardEnv> {
  return act(ctx, async (c, name) => {
    const stageName = c.req.param('stage') ?? '';
    const pipeline = servedPipeline(ctx, name);
    if (!pipeline.stages.some((s) => s.name === stageName)) {
      throw new WebError(
        'NotFound',
        `pipeline ${name} has no stage "${stageName}"; its stages: ${pipeline.stages.map((s) => s.name).join(', ')}`,
      );
    }
    const fields = await form(c, TransitionFormSchema);
    const requestId = crypto.randomUUID();
    if (fields.enable === '1') {
      await control(ctx, 'enableTransition').enableTransition(name, {
        stageName,
        actor: actor(c),
        requestId,
      });
      return done(pipelinePath(name), 'enabled');
    }
    const reason = fields.reason ?? '';
    if (reason === '') throw new WebError('ValidationError', 'reason: say why the transition is disabled');
    await control(ctx, 'disableTransition').disableTransition(name, {
      stageName,
      reason,
      actor: actor(c),
      requestId,
    });
    return done(pipelinePath(name), 'disabled');
  });
}

/**
 * `POST /pipelines/:name/executions/:id/stop`: stops the execution (`abandon=1`: abandoning
 * its running actions) with an optional `reason`.
 *
 * @example
 * ```ts
 * routes.post('/pipelines/:name/executions/:id/stop', guard, stopAction(ctx));
 * ```
 */
export function stopAction(ctx: DashboardContext): Handler<DashboardEnv> {
  return act(ctx, async (c, name) => {
    const executionId = c.req.param('id') ?? '';
    await executionOf(ctx, name, executionId);
    const fields = await form(c, StopFormSchema);
    await control(ctx, 'stop').stop(executionId, {
      abandon: fields.abandon === '1',
      ...(fields.reason === undefined || fields.reason === '' ? {} : { reason: fields.reason }),
      actor: actor(c),
    });
    return done(executionPath(name, executionId), 'stopped');
  });
}

/**
 * `POST /pipelines/:name/executions/:id/retry`: retries a failed stage (`retryMode`
 * `FAILED_ACTIONS` or `ALL_ACTIONS`).
 *
 * @example
 * ```ts
 * routes.post('/pipelines/:name/executions/:id/retry', guard, retryAction(ctx));
 * ```
 */
export function retryAction(ctx: DashboardContext): Handler<DashboardEnv> {
  return act(ctx, async (c, name) => {
    const executionId = c.req.param('id') ?? '';
    await executionOf(ctx, name, executionId);
    const fields = await form(c, RetryFormSchema);
    await control(ctx, 'retryStage').retryStage(executionId, {
      stageName: fields.stageName,
      retryMode: fields.retryMode,
      actor: actor(c),
    });
    return done(backTo(name, fields.back), 'retried');
  });
}

/**
 * `POST /pipelines/:name/executions/:id/approvals`: approves or rejects a pending approval
 * with an optional comment; the execution goes on where this process runs it.
 *
 * @example
 * ```ts
 * routes.post('/pipelines/:name/executions/:id/approvals', guard, decisionAction(ctx));
 * ```
 */
export function decisionAction(ctx: DashboardContext): Handler<DashboardEnv> {
  return act(
    ctx,
    async (c, name) => {
      const executionId = c.req.param('id') ?? '';
      await executionOf(ctx, name, executionId);
      const fields = await form(c, DecisionFormSchema);
      const comment = fields.comment?.trim() ?? '';
      const at = ctx.now().toISOString();
      const request = await authorizeDecision(
        ctx.deps,
        sessionIdentity(c.get('session')),
        {
          executionId,
          approvalId: fields.approvalId,
          status: fields.decision === 'approve' ? 'Approved' : 'Rejected',
          ...(comment === '' ? {} : { summary: comment }),
        },
        at,
      );
      const { ref } = await recordApprovalDecision(ctx.deps.store, request, at);
      const closed = await settleQuietly(ctx.deps, executionId);
      if (closed.some((t) => t.stageName === ref.stageName && t.actionName === ref.actionName)) {
        return STOPPED_WAITING;
      }
      return done(backTo(name, fields.back), fields.decision === 'approve' ? 'approved' : 'rejected');
    },
    'approve',
  );
}
