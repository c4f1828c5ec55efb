/**
 * Override a stage condition (OverrideStageCondition): an operator lets a stage's
 * BeforeEntry or OnSuccess condition pass while it is not decided yet — its rules still run, or
 * the gate waits at the transition or the lock. `StageConditionOverridden` is recorded for the
 * stage's current attempt; the gate (or leave) then finds it and goes on as if the condition
 * had succeeded (core's stage-condition deciders count `Overridden` as passed). Recording the
 * same override twice records it once (deterministic event id).
 *
 * @example
 * ```ts
 * await overrideCondition(ctx.log, executionId, { stageName: 'Deploy', conditionType: 'BEFORE_ENTRY', actor });
 * ```
 */
import {
  type Decision,
  type EventActor,
  ExecutionStateError,
  type ExecutionView,
  isClosed,
  type Pipeline,
  stageConditionOverridden,
  stageConditions,
  stageNamed,
} from '@pipewright/core';
import type { ExecutionLog } from '../execution-log.ts';

/** What overriding a condition takes. @example `{ stageName: 'Deploy', conditionType: 'BEFORE_ENTRY', actor: { kind: 'user', id: 'alice' } }` */
export interface OverrideConditionInput {
  stageName: string;
  conditionType: 'BEFORE_ENTRY' | 'ON_SUCCESS';
  actor: EventActor;
}

/**
 * The pure decision: `StageConditionOverridden` for the stage's current attempt, or nothing
 * when that attempt's condition is overridden already. Throws `ExecutionStateError` when the
 * execution ended, the stage has no such condition, or the condition was decided already.
 *
 * @example
 * ```ts
 * decideOverrideCondition(view, pipeline, { stageName: 'Deploy', conditionType: 'BEFORE_ENTRY', actor }, { at }).events[0]?.type; // 'StageConditionOverridden'
 * ```
 */
export function decideOverrideCondition(
  view: ExecutionView,
  pipeline: Pipeline,
  input: OverrideConditionInput,
  ctx: { at: string },
): Decision {
  const where = `the ${input.conditionType} condition of stage ${input.stageName} of execution ${view.pipelineExecutionId}`;
  if (isClosed(view)) throw new ExecutionStateError(`${where} cannot be overridden: the execution has ended`);
  if (stageConditions(stageNamed(pipeline, input.stageName), input.conditionType).length === 0)
    throw new ExecutionStateError(`${where} does not exist; the pipeline declares no such condition`);
  const stageAttempt = view.stages.find((s) => s.stageName === input.stageName)?.stageAttempt ?? 0;
  const recorded = view.stages
    .find((s) => s.stageName === input.stageName)
    ?.conditions.find((c) => c.conditionType === input.conditionType && c.stageAttempt === stageAttempt);
  if (recorded?.status === 'Overridden') return { events: [] };
  if (recorded !== undefined && recorded.status !== 'InProgress')
    throw new ExecutionStateError(
      `${where} was already decided (${recorded.status}); retry the stage to evaluate it again`,
    );
  const { stageName, conditionType, actor } = input;
  const executionId = view.pipelineExecutionId;
  return {
    events: [
      stageConditionOverridden({ executionId, at: ctx.at, actor, stageName, stageAttempt, conditionType }),
    ],
  };
}

/**
 * Records the override; returns the execution's view.
 *
 * @example
 * ```ts
 * const view = await overrideCondition(log, executionId, { stageName: 'Deploy', conditionType: 'ON_SUCCESS', actor });
 * ```
 */
export async function overrideCondition(
  log: ExecutionLog,
  executionId: string,
  input: OverrideConditionInput,
): Promise<ExecutionView> {
  const pipelineName = await log.pipelineNameOf(executionId);
  const pipeline = await log.definition(executionId, pipelineName);
  const at = log.at();
  await log.decide(executionId, pipelineName, (view) =>
    decideOverrideCondition(view, pipeline, input, { at }),
  );
  return log.view(executionId);
}
