import { CompileError } from '../errors.ts';
import type { Action, Pipeline, Stage } from '../model/pipeline.ts';
import type {
  AslBranch,
  AslCatcher,
  AslChoiceState,
  AslDefinition,
  AslJson,
  AslRetrier,
  AslState,
  AslTaskState,
} from './asl-types.ts';
import { checkModel } from './check-model.ts';
import { POLL_STEP_TIMEOUT_SECONDS, pollLoopMeta, pollLoopStates, polls } from './poll-loop.ts';
import { type Group, groupActions, nameStates, type StageNames } from './stage-plan.ts';
import { actionTimeoutSeconds } from './timeouts.ts';

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

const TOKEN_TASK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const REQUEST_RESPONSE_TASK = 'arn:aws:states:::lambda:invoke';

/**
 * The error name a Pipewright function fails with when trying again may succeed (a throttled
 * table, a lost race after every backoff): the state machine retries it like Lambda's own
 * transient errors. The handlers are idempotent, so a retry repeats nothing.
 */
export const RETRYABLE_ERROR = 'Pipewright.Retryable';

/** Transient Lambda service errors, and Pipewright's retryable ones, retried with the console's defaults. */
export const LAMBDA_RETRY: AslRetrier = {
  ErrorEquals: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
    RETRYABLE_ERROR,
  ],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

// Every JSONata expression of the definition is one of these constants: user text (stage,
// action, pipeline names) only ever appears as a plain JSON string, never inside `{% … %}`.
const EXPR = {
  pipeline: '{% $pipeline %}',
  executionId: '{% $executionId %}',
  attempt: '{% $attempt %}',
  taskToken: '{% $states.context.Task.Token %}',
  input: '{% $states.input %}',
  result: '{% $states.result %}',
  errorOutput: '{% $states.errorOutput %}',
  nextAttempt: '{% $attempt + 1 %}',
  startPipeline: '{% $states.input.pipeline %}',
  startExecutionId: '{% $states.input.executionId %}',
  finishOutput: '{% {"pipeline": $pipeline, "executionId": $executionId} %}',
  isSkip: '{% $states.input.decision = "SKIP" %}',
  isRetryAll: '{% $states.input.decision = "RETRY_ALL_ACTIONS" %}',
  isRetryFailed: '{% $states.input.decision = "RETRY_FAILED_ACTIONS" %}',
} as const;

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
  const { actionRunner, stageGate } = options.resources;

  const states: Record<string, AslState> = {};
  const meta: CompiledState[] = [];
  const firstGate = (names[0] as StageNames).gate;

  states[START_STATE] = {
    Type: 'Pass',
    Assign: { pipeline: EXPR.startPipeline, executionId: EXPR.startExecutionId, attempt: 0 },
    Next: firstGate,
  };
  meta.push({ stateName: START_STATE, kind: 'start' });

  pipeline.stages.forEach((stage, i) => {
    const n = names[i] as StageNames;
    const groups = groupsByStage[i] as Group[];
    const nextStage = names[i + 1]?.gate ?? FINISH_STATE;
    const firstGroup = n.groups[0] as string;
    const catchToFailed: AslCatcher[] = [
      { ErrorEquals: ['States.ALL'], Next: n.failed, Output: EXPR.errorOutput },
    ];

    states[n.gate] = {
      Type: 'Task',
      Comment: `Stage ${stage.name}: wait until the execution may enter (lock, transition, BeforeEntry).`,
      Resource: TOKEN_TASK,
      Arguments: lambdaArguments(stageGate, tokenPayload('gate', stage.name)),
      Output: EXPR.result,
      Retry: [LAMBDA_RETRY],
      Catch: catchToFailed,
      Next: n.enter,
    };
    meta.push({ stateName: n.gate, kind: 'gate', stage: stage.name });

    const enter: AslChoiceState = {
      Type: 'Choice',
      Choices: [{ Condition: EXPR.isSkip, Next: nextStage }],
      Default: firstGroup,
    };
    states[n.enter] = enter;
    meta.push({ stateName: n.enter, kind: 'enter', stage: stage.name });

    groups.forEach((group, g) => {
      const groupName = n.groups[g] as string;
      const actionNames = n.actions[g] as string[];
      const next = n.groups[g + 1] ?? n.leave;
      if (group.actions.length === 1) {
        const action = group.actions[0] as Action;
        const loop = n.polls.get(groupName);
        if (loop !== undefined) {
          const task = actionTask(stage, action, actionRunner);
          Object.assign(states, pollLoopStates(task, loop, { Next: next }, catchToFailed));
          meta.push(...pollLoopMeta(loop, stage.name, action.name, false));
          return;
        }
        states[groupName] = {
          ...actionTask(stage, action, actionRunner),
          Catch: catchToFailed,
          Next: next,
        };
        meta.push({ stateName: groupName, kind: 'action', stage: stage.name, action: action.name });
        return;
      }
      meta.push({ stateName: groupName, kind: 'group', stage: stage.name, runOrder: group.runOrder });
      const branches: AslBranch[] = group.actions.map((action, a) => {
        const taskName = actionNames[a] as string;
        const loop = n.polls.get(taskName);
        if (loop !== undefined) {
          meta.push(...pollLoopMeta(loop, stage.name, action.name, true));
          const task = actionTask(stage, action, actionRunner);
          return { StartAt: taskName, States: pollLoopStates(task, loop, { End: true }) };
        }
        meta.push({ stateName: taskName, kind: 'action', stage: stage.name, action: action.name });
        return {
          StartAt: taskName,
          States: { [taskName]: { ...actionTask(stage, action, actionRunner), End: true } },
        };
      });
      states[groupName] = {
        Type: 'Parallel',
        Comment: `Stage ${stage.name}: runOrder ${group.runOrder} (${group.actions.length} actions in parallel).`,
        Branches: branches,
        Output: EXPR.input,
        Catch: catchToFailed,
        Next: next,
      };
    });

    states[n.leave] = {
      Type: 'Task',
      Comment: `Stage ${stage.name}: OnSuccess conditions, release the stage lock.`,
      Resource: TOKEN_TASK,
      Arguments: lambdaArguments(stageGate, tokenPayload('leave', stage.name)),
      Output: EXPR.input,
      Retry: [LAMBDA_RETRY],
      Catch: catchToFailed,
      Next: nextStage,
    };
    meta.push({ stateName: n.leave, kind: 'leave', stage: stage.name });

    states[n.failed] = {
      Type: 'Task',
      Comment: `Stage ${stage.name}: record the failure and wait for a decision.`,
      Resource: TOKEN_TASK,
      Arguments: lambdaArguments(stageGate, {
        ...tokenPayload('stageFailed', stage.name),
        error: EXPR.input,
      }),
      Output: EXPR.result,
      Retry: [LAMBDA_RETRY],
      Next: n.decide,
    };
    meta.push({ stateName: n.failed, kind: 'stageFailed', stage: stage.name });

    states[n.decide] = {
      Type: 'Choice',
      Choices: [
        { Condition: EXPR.isRetryAll, Assign: { attempt: EXPR.nextAttempt }, Next: n.gate },
        { Condition: EXPR.isRetryFailed, Assign: { attempt: EXPR.nextAttempt }, Next: firstGroup },
      ],
      Default: FAILED_STATE,
    };
    meta.push({ stateName: n.decide, kind: 'decide', stage: stage.name });
  });

  states[FINISH_STATE] = {
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
  meta.push({ stateName: FINISH_STATE, kind: 'finish' });
  states[SUCCEEDED_STATE] = { Type: 'Succeed' };
  meta.push({ stateName: SUCCEEDED_STATE, kind: 'succeeded' });
  states[FAILED_STATE] = {
    Type: 'Fail',
    Error: 'Pipewright.StageFailed',
    Cause: 'A stage failed and was not retried.',
  };
  meta.push({ stateName: FAILED_STATE, kind: 'failed' });

  const definition: AslDefinition = {
    Comment: `Pipewright pipeline ${JSON.stringify(pipeline.name)} (generated; do not edit).`,
    QueryLanguage: 'JSONata',
    StartAt: START_STATE,
    States: states,
  };
  return { definition, states: meta };
}

function lambdaArguments(functionName: string, payload: Record<string, AslJson>): Record<string, AslJson> {
  return { FunctionName: functionName, Payload: payload };
}

function tokenPayload(kind: string, stage: string, action?: string): Record<string, AslJson> {
  const payload: Record<string, AslJson> = {
    kind,
    pipeline: EXPR.pipeline,
    executionId: EXPR.executionId,
    stage,
  };
  if (action !== undefined) payload.action = action;
  payload.attempt = EXPR.attempt;
  payload.taskToken = EXPR.taskToken;
  return payload;
}

function actionTask(stage: Stage, action: Action, actionRunner: string): AslTaskState {
  const t = action.actionTypeId;
  return {
    Type: 'Task',
    Comment: `Action ${action.name}: ${t.category} ${t.owner}/${t.provider} v${t.version}.`,
    Resource: TOKEN_TASK,
    Arguments: lambdaArguments(actionRunner, tokenPayload('action', stage.name, action.name)),
    Output: EXPR.input,
    TimeoutSeconds: polls(action)
      ? Math.min(POLL_STEP_TIMEOUT_SECONDS, actionTimeoutSeconds(action))
      : actionTimeoutSeconds(action),
    Retry: [LAMBDA_RETRY],
  };
}
