import { CompileError } from '../errors.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { AslDefinition } from './asl-types.ts';
import { checkModel } from './check-model.ts';
import { EXPR, LAMBDA_RETRY, lambdaArguments, REQUEST_RESPONSE_TASK } from './lambda-tasks.ts';
import { type Group, groupActions, nameStates, type StageNames } from './stage-plan.ts';
import { addStageStates, type CompiledStates } from './stage-states.ts';

export { LAMBDA_RETRY, RETRYABLE_ERROR } from './lambda-tasks.ts';

/** The two functions a compiled definition invokes (names or ARNs; see docs/execution.md). */
export interface CompileOptions {
  resources: { actionRunner: string; stageGate: string };
}

/** What a compiled state does; `group` is a Parallel of several actions. */
export type CompiledStateKind =
  | 'start'
  | 'gate'
  | 'enter'
  | 'action'
  | 'group'
  | 'leave'
  | 'stageFailed'
  | 'decide'
  | 'finish'
  | 'succeeded'
  | 'failed'
  /** The long-wait loop of a polling action: its Choice, Wait, poll Task and (in a branch) Succeed. */
  | 'pollCheck'
  | 'pollWait'
  | 'poll'
  | 'pollDone';

/** Where a state of the definition comes from in the pipeline. */
export interface CompiledState {
  stateName: string;
  kind: CompiledStateKind;
  stage?: string;
  action?: string;
  /** For `group`: the runOrder the Parallel runs. */
  runOrder?: number;
}

/** A definition plus the map from its states back to stages and actions (for the engine and views). */
export interface CompiledPipeline {
  definition: AslDefinition;
  states: CompiledState[];
}

/** The first state (Pass). Top-level names have no dot, so they never clash with `<stage>.<part>` names. */
export const START_STATE = 'Start';
/** The request/response `finish` invoke after the last stage. */
export const FINISH_STATE = 'Finish';
/** The Succeed state. */
export const SUCCEEDED_STATE = 'Succeeded';
/** The Fail state a failed stage's `FAIL` decision leads to. */
export const FAILED_STATE = 'Failed';

/**
 * Compiles a pipeline into its Step Functions definition (JSONata), exactly as
 * docs/execution.md describes. Pure and deterministic: the same pipeline always gives
 * byte-identical JSON. Throws {@link CompileError} for a model validation should have rejected.
 *
 * @example
 * ```ts
 * const asl = compilePipeline(pipeline, { resources: { actionRunner: 'pw-runner', stageGate: 'pw-gate' } });
 * asl.StartAt; // 'Start'
 * JSON.stringify(asl, null, 2); // the state machine definition
 * ```
 */
export function compilePipeline(pipeline: Pipeline, options: CompileOptions): AslDefinition {
  return compilePipelineWithStates(pipeline, options).definition;
}

/**
 * Like {@link compilePipeline}, and also lists every state with the stage/action it stands for.
 *
 * @example
 * ```ts
 * const { states } = compilePipelineWithStates(pipeline, options);
 * states.find((s) => s.kind === 'action' && s.action === 'Build')?.stateName; // 'Build.Build'
 * ```
 */
export function compilePipelineWithStates(pipeline: Pipeline, options: CompileOptions): CompiledPipeline {
  checkModel(pipeline, options);
  const groupsByStage = pipeline.stages.map((stage) => groupActions(stage));
  const names = nameStates(pipeline.stages, groupsByStage, [
    START_STATE,
    FINISH_STATE,
    SUCCEEDED_STATE,
    FAILED_STATE,
  ]);
  const out: CompiledStates = { states: {}, meta: [] };
  out.states[START_STATE] = {
    Type: 'Pass',
    Assign: { pipeline: EXPR.startPipeline, executionId: EXPR.startExecutionId, attempt: 0 },
    Next: (names[0] as StageNames).gate,
  };
  out.meta.push({ stateName: START_STATE, kind: 'start' });
  pipeline.stages.forEach((stage, i) => {
    const stageToCompile = {
      stage,
      names: names[i] as StageNames,
      groups: groupsByStage[i] as Group[],
      nextStage: names[i + 1]?.gate ?? FINISH_STATE,
      failedState: FAILED_STATE,
    };
    addStageStates(out, stageToCompile, options.resources);
  });
  addEndStates(out, options.resources.stageGate);
  const definition: AslDefinition = {
    Comment: `Pipewright pipeline ${JSON.stringify(pipeline.name)} (generated; do not edit).`,
    QueryLanguage: 'JSONata',
    StartAt: START_STATE,
    States: out.states,
  };
  return { definition, states: out.meta };
}

/** The Finish invoke after the last stage, and the Succeed and Fail states. */
function addEndStates(out: CompiledStates, stageGate: string): void {
  out.states[FINISH_STATE] = {
    Type: 'Task',
    Resource: REQUEST_RESPONSE_TASK,
    Arguments: lambdaArguments(stageGate, {
      kind: 'finish',
      pipeline: EXPR.pipeline,
      executionId: EXPR.executionId,
      attempt: EXPR.attempt,
    }),
    Output: EXPR.finishOutput,
    Retry: [LAMBDA_RETRY],
    Next: SUCCEEDED_STATE,
  };
  out.meta.push({ stateName: FINISH_STATE, kind: 'finish' });
  out.states[SUCCEEDED_STATE] = { Type: 'Succeed' };
  out.meta.push({ stateName: SUCCEEDED_STATE, kind: 'succeeded' });
  out.states[FAILED_STATE] = {
    Type: 'Fail',
    Error: 'Pipewright.StageFailed',
    Cause: 'A stage failed and was not retried.',
  };
  out.meta.push({ stateName: FAILED_STATE, kind: 'failed' });
}
