/**
 * The callback function: completes actions whose work ran elsewhere. Its EventBridge rules on
 * the default bus send it "CodeBuild Build State Change" events — builds that Pipewright did not
 * start, and builds not yet final, are ignored — and "Step Functions Execution Status Change"
 * events of executions that failed, timed out or were aborted, whose end the log then records. A redelivered event completes nothing twice
 * (the engine's `completeAction` is idempotent).
 *
 * @example
 * ```ts
 * const callback = callbackHandler(async () => ({ engine, completion: (e) => codeBuildCompletion(e, deps) }));
 * await callback(codeBuildEvent); // { completed: '7f0c/Build/Compile' }
 * ```
 */
import type { ActionRef, OrchestratorEnd } from '@pipewright/core';
import type { ActionOutcome, Engine } from '@pipewright/engine';

/** An attempt a callback event completes. @example `{ pipeline: 'web-app', executionId: '7f0c', ref, outcome: { status: 'Succeeded', outputArtifacts: [], outputVariables: {} } }` */
export interface CompletedAttempt {
  pipeline: string;
  executionId: string;
  ref: ActionRef;
  outcome: ActionOutcome;
}

/** What the callback function needs. @example `{ engine, completion: (e) => codeBuildCompletion(e, deps) }` */
export interface CallbackParts {
  engine: Engine;
  /** Maps an event to the attempt it completes, or `undefined` when it completes none. */
  completion(event: unknown): Promise<CompletedAttempt | undefined>;
  /**
   * Whether a state machine is one of this deployment's. The execution-status rule matches the
   * stage's state machines by prefix, which another stage's (`prod-eu` beside `prod`) also has:
   * their executions are ignored. Without it, every execution-status event is this deployment's.
   */
  ownsStateMachine?(arn: string): boolean;
}

/** What the callback did, for its log. @example `{ completed: '7f0c/Build/Compile' }` */
export type CallbackResult = { completed: string } | { ended: string; status: string } | { ignored: true };

const ABNORMAL_END = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * The execution and end a "Step Functions Execution Status Change" event reports, for the ends
 * the engine may not have recorded (FAILED, TIMED_OUT, ABORTED); `undefined` for other events.
 * The execution's name is its Pipewright execution id.
 *
 * @example
 * ```ts
 * stateMachineEnd({ source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', detail: { name: '7f0c', status: 'FAILED' } });
 * // { executionId: '7f0c', end: { status: 'FAILED' } }
 * ```
 */
export function stateMachineEnd(
  event: unknown,
): { executionId: string; stateMachineArn?: string; end: OrchestratorEnd } | undefined {
  const e = event as { source?: unknown; 'detail-type'?: unknown; detail?: Record<string, unknown> } | null;
  if (e?.source !== 'aws.states' || e['detail-type'] !== 'Step Functions Execution Status Change')
    return undefined;
  const detail = e.detail ?? {};
  const status = detail.status;
  if (typeof detail.name !== 'string' || typeof status !== 'string' || !ABNORMAL_END.has(status))
    return undefined;
  return {
    executionId: detail.name,
    ...(typeof detail.stateMachineArn === 'string' ? { stateMachineArn: detail.stateMachineArn } : {}),
    end: {
      status: status as OrchestratorEnd['status'],
      ...(typeof detail.error === 'string' ? { error: detail.error } : {}),
      ...(typeof detail.cause === 'string' ? { cause: detail.cause } : {}),
    },
  };
}

/**
 * The callback function's handler.
 *
 * @example
 * ```ts
 * export const handler = callbackHandler(openParts);
 * ```
 */
export function callbackHandler(
  open: () => Promise<CallbackParts>,
): (event: unknown) => Promise<CallbackResult> {
  return async (event) => {
    const { engine, completion, ownsStateMachine } = await open();
    const ended = stateMachineEnd(event);
    const foreign =
      ended?.stateMachineArn !== undefined &&
      ownsStateMachine !== undefined &&
      !ownsStateMachine(ended.stateMachineArn);
    if (foreign) return { ignored: true };
    if (ended !== undefined) {
      const view = await engine.recordOrchestratorEnd(ended.executionId, ended.end);
      await engine.idle();
      return { ended: ended.executionId, status: view.status };
    }
    const done = await completion(event);
    if (done === undefined || done.outcome.status === 'Waiting' || done.outcome.status === 'InProgress')
      return { ignored: true };
    await engine.completeAction({
      pipeline: done.pipeline,
      executionId: done.executionId,
      ref: done.ref,
      outcome: done.outcome,
    });
    await engine.idle();
    return { completed: `${done.executionId}/${done.ref.stageName}/${done.ref.actionName}` };
  };
}
