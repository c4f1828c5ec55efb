/**
 * Deciding an approval from any process that can reach the event log (`pipewright approve`,
 * the approval page): the decision is appended, and the process that holds the waiting
 * task's token answers it when it sees the decision (`Engine.settle`).
 *
 * @example
 * ```ts
 * await recordApprovalDecision(store, { executionId, status: 'Approved', actor: { kind: 'user', id: 'alice' } }, at);
 * ```
 */
import {
  type ActionRef,
  type ApprovalDecisionInput,
  type ApprovalView,
  ConcurrencyConflictError,
  decideApproval,
  type EventStore,
  executionStream,
} from '@pipewright/core';
import { backOffAfterConflict } from './conflict-backoff.ts';
import { readExecution } from './read-execution.ts';

/** An approver's decision about one execution's approval. */
export type ApprovalDecisionRequest = ApprovalDecisionInput & { executionId: string };

/**
 * Appends an approval decision. Throws `ExecutionStateError` when there is no pending
 * approval to decide (decided already, expired, none), `UnknownExecutionError` for an unknown
 * execution.
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
  for (let round = 0; ; round++) {
    const { view, records, pipeline } = await readExecution(store, request.executionId);
    const decided = decideApproval(view, request, { at });
    try {
      await store.append(executionStream(request.executionId), decided.events, {
        expectedVersion: records.at(-1)?.seq ?? 0,
        pipeline: pipeline?.name ?? view.pipelineName,
      });
      return { ref: decided.ref, approval: decided.approval };
    } catch (e) {
      if (e instanceof ConcurrencyConflictError && (await backOffAfterConflict(round))) continue;
      throw e;
    }
  }
}
