/**
 * Approve or reject a pending approval (PutApprovalResult) — the one approval path of the CLI
 * (`pipewright approve`, `run --approve`), the web pages and the HTTP Lambda. Core's
 * `decideApproval` says what to record (`ApprovalDecided`, then the action's outcome); the
 * kernel appends it with `expectedVersion`, and answers the action's task when this process
 * holds its token. A process without the token (the approval page in another process) leaves
 * the answer to the one that holds it (`settle`).
 *
 * @example
 * ```ts
 * await approve(log, { executionId, status: 'Approved', summary: 'looks good', actor: { kind: 'user', id: 'alice' } });
 * ```
 */
import {
  type ActionRef,
  type ApprovalDecisionInput,
  type ApprovalView,
  decideApproval,
  type EventStore,
  type Pipeline,
} from '@pipewright/core';
import { UnknownExecutionError } from '../errors.ts';
import { ExecutionLog } from '../execution-log.ts';
import { pipelineDefinition } from '../pipeline-versions.ts';
import type { TaskSendResult } from '../ports/orchestrator.ts';

/** An approver's decision about one execution's approval. @example `{ executionId: '7f0c', status: 'Approved', actor: { kind: 'user', id: 'alice' } }` */
export type ApprovalDecisionRequest = ApprovalDecisionInput & { executionId: string };

/** What deciding an approval did. @example `{ ref, approval, approvalId: '7f0c.a1b2', sent: 'sent' }` */
export interface ApprovalDecided {
  ref: ActionRef;
  approval: ApprovalView;
  approvalId: string;
  /** Whether the action's task was answered here: `undefined` when another process holds it. */
  sent?: TaskSendResult;
}

/**
 * Decides the approval and answers its task where this process holds it. Throws
 * `ExecutionStateError` when there is no pending approval (decided once, expired, none) and
 * `UnknownExecutionError` for an unknown execution.
 *
 * @example
 * ```ts
 * const { approvalId } = await approve(log, { executionId, status: 'Rejected', summary: 'not now', actor });
 * ```
 */
export async function approve(log: ExecutionLog, request: ApprovalDecisionRequest): Promise<ApprovalDecided> {
  const pipelineName = await log.pipelineNameOf(request.executionId);
  const at = log.at();
  let decided: ReturnType<typeof decideApproval> | undefined;
  await log.decide(request.executionId, pipelineName, (view) => {
    decided = decideApproval(view, request, { at });
    return decided;
  });
  if (decided === undefined) throw new UnknownExecutionError(request.executionId);
  const { ref, approval, reply } = decided;
  const task = {
    executionId: request.executionId,
    kind: 'action',
    stage: ref.stageName,
    action: ref.actionName,
  };
  const sent = await log.reply({ ...task, attempt: ref.stageAttempt }, reply);
  return { ref, approval, approvalId: approval.approvalId, ...(sent === undefined ? {} : { sent }) };
}

/**
 * {@link approve} from a process that holds only the event store (`pipewright approve`, the
 * approval page): the decision is appended, and the process holding the task answers it.
 *
 * @example
 * ```ts
 * const { ref } = await recordApprovalDecision(store, request, new Date().toISOString());
 * ```
 */
export async function recordApprovalDecision(
  store: EventStore,
  request: ApprovalDecisionRequest,
  at: string,
): Promise<{ ref: ActionRef; approval: ApprovalView }> {
  const log = new ExecutionLog({ store, pipelines: storedPipelines(store), now: () => new Date(at) });
  const { ref, approval } = await approve(log, request);
  return { ref, approval };
}

/**
 * Definitions as the pipeline streams record them (`PipelineVersionCreated`): what a process
 * without loaded pipeline files folds against.
 *
 * @example
 * ```ts
 * const log = new ExecutionLog({ store, pipelines: storedPipelines(store) });
 * ```
 */
export function storedPipelines(store: EventStore): {
  get(name: string, version?: number): Promise<Pipeline | undefined>;
} {
  return { get: (name, version) => pipelineDefinition(store, name, version) };
}
