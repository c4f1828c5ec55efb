/**
 * Complete an action attempt that ended outside this process — a CodeBuild build's state
 * change event in AWS, where the runner only started the build: core's `decideActionOutcome`
 * records the outcome and the action's task is answered. A duplicate delivery, or an attempt
 * that already ended, changes nothing; only the attempt that started the work may complete it.
 *
 * @example
 * ```ts
 * await completeAction(ctx.log, { pipeline: 'web-app', executionId, ref, outcome: { status: 'Succeeded', outputArtifacts: [], outputVariables: {} } });
 * ```
 */
import { type ActionRef, decideActionOutcome, type ExecutionView } from '@pipewright/core';
import type { ExecutionLog } from '../execution-log.ts';
import { actionResultOf, type EndedOutcome } from '../run-action-attempt.ts';

/** An action attempt that ended elsewhere, and how. @example `{ pipeline: 'web-app', executionId: '7f0c', ref, outcome }` */
export interface CompleteActionRequest {
  pipeline: string;
  executionId: string;
  ref: ActionRef;
  outcome: EndedOutcome;
}

/** The recorded attempt `ref` names, when it is the one that started (same action execution id). */
function startedAttempt(view: ExecutionView, ref: ActionRef) {
  const attempt = view.stages
    .find((s) => s.stageName === ref.stageName)
    ?.actions.find((a) => a.actionName === ref.actionName)
    ?.attempts.find((a) => a.stageAttempt === ref.stageAttempt && a.attempt === ref.attempt);
  return attempt?.actionExecutionId === ref.actionExecutionId ? attempt : undefined;
}

/**
 * Records the outcome and answers the task.
 *
 * @example
 * ```ts
 * await completeAction(log, request);
 * ```
 */
export async function completeAction(log: ExecutionLog, input: CompleteActionRequest): Promise<void> {
  const { executionId, ref } = input;
  const pipeline = await log.definition(executionId, input.pipeline);
  log.remember(executionId, pipeline.name);
  const result = actionResultOf(input.outcome);
  const at = log.at();
  const d = await log.decide(executionId, pipeline.name, (view) =>
    startedAttempt(view, ref) === undefined
      ? { events: [] }
      : decideActionOutcome(view, pipeline, ref, result, { at }),
  );
  const task = { executionId, kind: 'action', stage: ref.stageName, action: ref.actionName };
  await log.reply({ ...task, attempt: ref.stageAttempt }, d.reply);
}
