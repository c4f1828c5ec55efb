/**
 * Stage rollback (CodePipeline's RollbackStage, stage-rollback.html): a new execution of type
 * `ROLLBACK` that redeploys one stage with the source revisions, variables and artifacts of an
 * earlier execution in which that stage succeeded (the target).
 *
 * Pipewright's rollback execution runs the compiled state machine like any other: every stage
 * but the rolled-back one is skipped at its gate (`StageSkipped`), and the rolled-back stage's
 * actions read their input artifacts and variables from the target execution (as produced by
 * the stages before it there), through {@link rollbackLookupView}.
 *
 * Refused, as CodePipeline refuses them (`ExecutionStateError`): PARALLEL pipelines, the
 * source (first) stage, a target that is itself a rollback, ran another pipeline version, or
 * where the stage did not succeed, and no target at all.
 *
 * @example
 * ```ts
 * checkRollbackTarget(pipeline, 'Deploy', targetView); // throws ExecutionStateError when refused
 * decideStart({ ...input, rollback: { target: targetView, stageName: 'Deploy' } });
 * ```
 */
import { ExecutionStateError } from '../errors.ts';
import type { ErrorDetails } from '../events/event-parts.ts';
import { executionFailed } from '../events/execution-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import type { Decision } from './decision.ts';

/**
 * True when this execution is a rollback and `stageName` is not the stage it rolls back: the
 * gate skips it.
 *
 * @example
 * ```ts
 * rollbackSkipsStage(rollbackView, 'Source'); // true
 * ```
 */
export function rollbackSkipsStage(view: ExecutionView, stageName: string): boolean {
  const target = view.rollbackMetadata?.stageName;
  return view.executionType === 'ROLLBACK' && target !== undefined && target !== stageName;
}

/**
 * The view the rolled-back stage's actions and conditions look artifacts and variables up in:
 * the rollback execution's own, completed with what the stages before the rolled-back one
 * produced in the target execution. Without a target (a standard execution), the view itself.
 *
 * @example
 * ```ts
 * rollbackLookupView(view, target).artifacts.map((a) => a.sha256);
 * ```
 */
export function rollbackLookupView(view: ExecutionView, target: ExecutionView | undefined): ExecutionView {
  const stageName = view.rollbackMetadata?.stageName;
  if (target === undefined || view.executionType !== 'ROLLBACK' || stageName === undefined) return view;
  const index = target.stages.findIndex((s) => s.stageName === stageName);
  const earlier = new Set(target.stages.slice(0, Math.max(index, 0)).map((s) => s.stageName));
  const own = new Set(view.artifacts.map((a) => a.name));
  const namespaces: ExecutionView['namespaces'] = {};
  for (const stage of target.stages) {
    if (!earlier.has(stage.stageName)) continue;
    for (const action of stage.actions) {
      const done = action.attempts.filter((a) => a.status === 'Succeeded').at(-1);
      if (done?.namespace === undefined) continue;
      namespaces[done.namespace] = { ...namespaces[done.namespace], ...done.outputVariables };
    }
  }
  return {
    ...view,
    artifacts: [
      ...target.artifacts.filter((a) => earlier.has(a.stageName) && !own.has(a.name)),
      ...view.artifacts,
    ],
    namespaces: { ...namespaces, ...view.namespaces },
  };
}

/**
 * Whether `view` may be rolled back to for `stageName` under the pipeline's current version:
 * a standard execution of this pipeline and version in which the stage succeeded.
 *
 * @example
 * ```ts
 * const target = views.find((v) => canRollBackTo(pipeline, 'Deploy', v));
 * ```
 */
export function canRollBackTo(pipeline: Pipeline, stageName: string, view: ExecutionView): boolean {
  return rollbackRefusal(pipeline, stageName, view) === undefined;
}

function rollbackRefusal(pipeline: Pipeline, stageName: string, view: ExecutionView): string | undefined {
  const id = view.pipelineExecutionId;
  if (view.pipelineName !== pipeline.name)
    return `execution ${id} belongs to pipeline ${view.pipelineName}, not ${pipeline.name}`;
  if (view.executionType === 'ROLLBACK')
    return `execution ${id} is itself a rollback; choose a standard execution as the target`;
  const version = pipeline.version ?? 1;
  if ((view.pipelineVersion ?? 1) !== version)
    return `execution ${id} ran version ${view.pipelineVersion ?? 1} of pipeline ${pipeline.name}, the current version is ${version}; a stage can only be rolled back to an execution of the current pipeline version`;
  const status = view.stages.find((s) => s.stageName === stageName)?.status ?? 'NotStarted';
  if (status !== 'Succeeded')
    return `stage ${stageName} did not succeed in execution ${id} (it is ${status}); choose an execution in which it succeeded`;
  return undefined;
}

/**
 * Checks a rollback request before anything is recorded. Throws `ExecutionStateError` (HTTP
 * 409) saying why it is refused; `target` is the given or found target (`undefined`: none).
 *
 * @example
 * ```ts
 * checkRollbackTarget(pipeline, 'Deploy', undefined);
 * // throws: stage Deploy of pipeline web-app has not succeeded in any earlier standard execution …
 * ```
 */
export function checkRollbackTarget(
  pipeline: Pipeline,
  stageName: string,
  target: ExecutionView | undefined,
): asserts target is ExecutionView {
  checkRollbackStage(pipeline, stageName);
  if (target === undefined) {
    throw new ExecutionStateError(
      `stage ${stageName} of pipeline ${pipeline.name} has not succeeded in any earlier standard execution of the current pipeline version (${pipeline.version ?? 1}); there is nothing to roll back to`,
    );
  }
  const refusal = rollbackRefusal(pipeline, stageName, target);
  if (refusal !== undefined) throw new ExecutionStateError(`cannot roll back stage ${stageName}: ${refusal}`);
}

/**
 * Checks that the pipeline's stage can be rolled back at all (before looking for a target).
 * Throws `ExecutionStateError` for PARALLEL pipelines, an unknown stage and the source stage.
 *
 * @example
 * ```ts
 * checkRollbackStage(pipeline, 'Source'); // throws: the source stage cannot be rolled back …
 * ```
 */
export function checkRollbackStage(pipeline: Pipeline, stageName: string): void {
  const index = pipeline.stages.findIndex((s) => s.name === stageName);
  if (index === -1) {
    const names = pipeline.stages.map((s) => s.name).join(', ');
    throw new ExecutionStateError(
      `pipeline ${pipeline.name} has no stage ${stageName}; its stages: ${names}`,
    );
  }
  if (pipeline.executionMode === 'PARALLEL') {
    throw new ExecutionStateError(
      `pipeline ${pipeline.name} runs in PARALLEL mode, which has no stage rollback (executions are independent); start a new execution with the revision to deploy instead`,
    );
  }
  if (index === 0) {
    throw new ExecutionStateError(
      `stage ${stageName} is the source stage of pipeline ${pipeline.name}, which cannot be rolled back; roll back a later stage`,
    );
  }
}

/**
 * The end of an execution whose failed stage started an automatic rollback: `ExecutionFailed`
 * (naming the rollback execution) and FAIL to the waiting `S.failed` task. Once ended, only
 * the reply.
 *
 * @example
 * ```ts
 * decideRolledBack(view, { stageName: 'Deploy', rollbackExecutionId: 'r1' }, { at }).reply;
 * // { kind: 'success', output: { decision: 'FAIL' } }
 * ```
 */
export function decideRolledBack(
  view: ExecutionView,
  input: { stageName: string; rollbackExecutionId: string },
  ctx: DecisionContext,
): Decision {
  const reply = { kind: 'success', output: { decision: 'FAIL' } } as const;
  if (view.endedAt !== undefined) return { events: [], reply };
  const stageError = view.stages.find((s) => s.stageName === input.stageName)?.error;
  const error: ErrorDetails = {
    code: stageError?.code ?? 'StageFailed',
    message: `${stageError?.message ?? `stage ${input.stageName} failed`}; rolled back by execution ${input.rollbackExecutionId}`,
  };
  return {
    events: [
      executionFailed({
        executionId: view.pipelineExecutionId,
        at: ctx.at,
        stageName: input.stageName,
        error,
      }),
    ],
    reply,
  };
}
