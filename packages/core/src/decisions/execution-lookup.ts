/**
 * Lookups the deciders share: a stage or action of the pipeline by name, the attempts of an
 * action in one stage attempt, the variables visible to an action, the task reply an ended
 * attempt implies.
 *
 * @example
 * ```ts
 * const attempts = attemptsIn(view, 'Build', 'Compile', 0);
 * ```
 */
import { TaskPayloadError } from '../errors.ts';
import type { Action, Pipeline, Stage } from '../model/pipeline.ts';
import type { ActionAttemptView, ExecutionView } from '../projections/execution-view.ts';
import { ACTION_FAILED_ERROR, type TaskReply } from './decision.ts';

/**
 * The stage named `stageName`; throws `TaskPayloadError` when the pipeline has none (the
 * state machine was compiled from another definition).
 *
 * @example
 * ```ts
 * stageNamed(pipeline, 'Build').actions.length;
 * ```
 */
export function stageNamed(pipeline: Pipeline, stageName: string): Stage {
  const stage = pipeline.stages.find((s) => s.name === stageName);
  if (stage === undefined) {
    throw new TaskPayloadError(
      `pipeline ${pipeline.name} has no stage ${stageName}; the state machine was compiled from another version of the pipeline: recompile it`,
    );
  }
  return stage;
}

/**
 * The action named `actionName` in `stage`; throws `TaskPayloadError` when there is none.
 *
 * @example
 * ```ts
 * actionNamed(stage, 'Compile').actionTypeId.provider; // 'Commands'
 * ```
 */
export function actionNamed(stage: Stage, actionName: string): Action {
  const action = stage.actions.find((a) => a.name === actionName);
  if (action === undefined) {
    throw new TaskPayloadError(
      `stage ${stage.name} has no action ${actionName}; the state machine was compiled from another version of the pipeline: recompile it`,
    );
  }
  return action;
}

/**
 * Every attempt of an action, oldest first (empty when it never started).
 *
 * @example
 * ```ts
 * actionAttempts(view, 'Build', 'Compile').at(-1)?.status;
 * ```
 */
export function actionAttempts(
  view: ExecutionView,
  stageName: string,
  actionName: string,
): ActionAttemptView[] {
  const stage = view.stages.find((s) => s.stageName === stageName);
  return stage?.actions.find((a) => a.actionName === actionName)?.attempts ?? [];
}

/**
 * The attempts of an action within one stage attempt, oldest first.
 *
 * @example
 * ```ts
 * attemptsIn(view, 'Build', 'Compile', 1).length;
 * ```
 */
export function attemptsIn(
  view: ExecutionView,
  stageName: string,
  actionName: string,
  stageAttempt: number,
): ActionAttemptView[] {
  return actionAttempts(view, stageName, actionName).filter((a) => a.stageAttempt === stageAttempt);
}

/**
 * The variables an action may read, keyed by reference text without `#{}`:
 * `codepipeline.PipelineExecutionId`, `variables.<name>` and `<Namespace>.<Name>` of every
 * completed action.
 *
 * @example
 * ```ts
 * visibleVariables(view)['SourceVariables.CommitId'];
 * ```
 */
export function visibleVariables(view: ExecutionView): Record<string, string> {
  const out: Record<string, string> = { 'codepipeline.PipelineExecutionId': view.pipelineExecutionId };
  for (const v of view.variables) out[`variables.${v.name}`] = v.resolvedValue;
  for (const [namespace, values] of Object.entries(view.namespaces)) {
    for (const [name, value] of Object.entries(values)) out[`${namespace}.${name}`] = value;
  }
  return out;
}

/**
 * The reply an ended attempt implies (for a duplicate delivery, or a decision recorded by
 * another process); `undefined` while it is still in progress.
 *
 * @example
 * ```ts
 * replyFor(attempt); // { kind: 'success', output: {} }
 * ```
 */
export function replyFor(attempt: ActionAttemptView | undefined): TaskReply | undefined {
  if (attempt === undefined) return undefined;
  if (attempt.status === 'Succeeded') return { kind: 'success', output: {} };
  if (attempt.status === 'Failed' || attempt.status === 'Abandoned') {
    return { kind: 'failure', error: ACTION_FAILED_ERROR, cause: attempt.error?.message ?? attempt.status };
  }
  return undefined;
}
