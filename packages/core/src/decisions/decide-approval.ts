/**
 * Deciding a manual approval (CodePipeline's PutApprovalResult): `ApprovalDecided` with who
 * decided, then the approval action's `ActionSucceeded` (approved) or `ActionFailed`
 * (rejected). An approval is decided once: a second decision, or one after it expired, is an
 * `ExecutionStateError` that says what happened.
 *
 * @example
 * ```ts
 * decideApproval(view, { status: 'Approved', summary: 'ship it', actor: { kind: 'user', id: 'alice' } }, { at });
 * ```
 */
import { ExecutionStateError } from '../errors.ts';
import { actionFailed, actionSucceeded } from '../events/action-events.ts';
import { approvalDecided } from '../events/approval-events.ts';
import type { EventActor } from '../events/event-parts.ts';
import type { ApprovalView, ExecutionView } from '../projections/execution-view.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import { ACTION_FAILED_ERROR, type ActionRef, type Decision } from './decision.ts';
import { attemptsIn } from './execution-lookup.ts';

/** An approver's decision. @example `{ approvalId: 'ap-1', status: 'Rejected', summary: 'not now', actor }` */
export interface ApprovalDecisionInput {
  /** The approval (from its link); without it, the execution's only pending approval. */
  approvalId?: string;
  /** Or the approval action's name (`Action` or `Stage/Action`). */
  actionName?: string;
  status: 'Approved' | 'Rejected';
  /** The approver's comment (at most 512 characters, as CodePipeline). */
  summary?: string;
  actor: EventActor;
}

/**
 * The approval a decision is about, or an `ExecutionStateError` saying why there is none.
 *
 * @example
 * ```ts
 * findApproval(view, { approvalId: 'ap-1' }).status; // 'Pending'
 * ```
 */
export function findApproval(
  view: ExecutionView,
  select: { approvalId?: string; actionName?: string },
): ApprovalView {
  const execution = view.pipelineExecutionId;
  if (select.approvalId !== undefined) {
    const found = view.approvals.find((a) => a.approvalId === select.approvalId);
    if (found === undefined)
      throw new ExecutionStateError(`execution ${execution} has no approval ${select.approvalId}`);
    return found;
  }
  const wanted = select.actionName;
  const candidates = view.approvals.filter(
    (a) => wanted === undefined || a.actionName === wanted || `${a.stageName}/${a.actionName}` === wanted,
  );
  const pending = candidates.filter((a) => a.status === 'Pending');
  if (pending.length === 1 && pending[0] !== undefined) return pending[0];
  if (pending.length > 1) {
    throw new ExecutionStateError(
      `execution ${execution} has ${pending.length} pending approvals (${pending.map((a) => `${a.stageName}/${a.actionName}`).join(', ')}); name one with --action`,
    );
  }
  const last = candidates.at(-1);
  if (last !== undefined) return last;
  throw new ExecutionStateError(
    `execution ${execution} has no approval${wanted === undefined ? '' : ` for ${wanted}`} waiting; check the execution with "pipewright show ${execution}"`,
  );
}

/**
 * Decides an approval.
 *
 * @example
 * ```ts
 * const { events, reply } = decideApproval(view, { status: 'Approved', actor }, { at });
 * ```
 */
export function decideApproval(
  view: ExecutionView,
  input: ApprovalDecisionInput,
  ctx: DecisionContext,
): Decision & { ref: ActionRef; approval: ApprovalView } {
  const approval = findApproval(view, input);
  const where = `${approval.stageName}/${approval.actionName}`;
  if (approval.status !== 'Pending') {
    const by = approval.decidedBy === undefined ? '' : ` by ${approval.decidedBy.id}`;
    const when = approval.decidedAt === undefined ? '' : ` at ${approval.decidedAt}`;
    throw new ExecutionStateError(
      `the approval ${where} of execution ${view.pipelineExecutionId} is already ${approval.status}${by}${when}; an approval is decided once`,
    );
  }
  if (approval.expiresAt !== undefined && Date.parse(ctx.at) > Date.parse(approval.expiresAt)) {
    throw new ExecutionStateError(
      `the approval ${where} of execution ${view.pipelineExecutionId} expired at ${approval.expiresAt}; retry the stage to ask again`,
    );
  }
  const attempt = attemptsIn(view, approval.stageName, approval.actionName, approval.stageAttempt).find(
    (a) => a.attempt === approval.attempt,
  );
  const ref: ActionRef = {
    stageName: approval.stageName,
    actionName: approval.actionName,
    stageAttempt: approval.stageAttempt,
    attempt: approval.attempt,
    actionExecutionId:
      attempt?.actionExecutionId ??
      `${view.pipelineExecutionId}:${approval.stageName}:${approval.actionName}`,
  };
  const summary = input.summary?.slice(0, 512);
  const decided = approvalDecided({
    executionId: view.pipelineExecutionId,
    at: ctx.at,
    actor: input.actor,
    stageName: ref.stageName,
    actionName: ref.actionName,
    stageAttempt: ref.stageAttempt,
    attempt: ref.attempt,
    approvalId: approval.approvalId,
    status: input.status,
    ...(summary === undefined || summary === '' ? {} : { summary }),
  });
  const base = { executionId: view.pipelineExecutionId, at: ctx.at, ...ref };
  const said = summary === undefined || summary === '' ? '' : `: ${summary}`;
  if (input.status === 'Approved') {
    return {
      ref,
      approval,
      events: [
        decided,
        actionSucceeded({
          ...base,
          outputArtifacts: [],
          outputVariables: {},
          summary: `Approved by ${input.actor.id}${said}`,
        }),
      ],
      reply: { kind: 'success', output: {} },
    };
  }
  const message = `Rejected by ${input.actor.id}${said}`;
  return {
    ref,
    approval,
    events: [
      decided,
      actionFailed({ ...base, error: { code: 'ApprovalRejected', message }, retryable: false }),
    ],
    reply: { kind: 'failure', error: ACTION_FAILED_ERROR, cause: `${where}: ${message}` },
  };
}
