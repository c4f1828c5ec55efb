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
import {
  POLL_STEP_TIMEOUT_SECONDS,
  type PollLoopNames,
  pollLoopMeta,
  pollLoopStates,
  polls,
} from './poll-loop.ts';
import { allocateStateNames, type StateNameRequest } from './state-names.ts';
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

interface Group {
  runOrder: number;
  actions: Action[];
}

interface StageNames {
  gate: string;
  enter: string;
  groups: string[];
  /** For each group, the Task name of each of its actions. */
  actions: string[][];
  leave: string;
  failed: string;
  decide: string;
  /** The long-wait loop of each polling action, by its Task name. */
  polls: Map<string, PollLoopNames>;
}

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
  const names = nameStates(pipeline.stages, groupsByStage);
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

/** Actions grouped by runOrder, ascending; declaration order within a group. */
function groupActions(stage: Stage): Group[] {
  const byOrder = new Map<number, Action[]>();
  for (const action of stage.actions) {
    const list = byOrder.get(action.runOrder);
    if (list) list.push(action);
    else byOrder.set(action.runOrder, [action]);
  }
  return [...byOrder.entries()]
    .sort(([a], [b]) => a - b)
    .map(([runOrder, actions]) => ({ runOrder, actions }));
}

function nameStates(stages: readonly Stage[], groupsByStage: readonly Group[][]): StageNames[] {
  const requests: StateNameRequest[] = [];
  const ask = (stage: string, part: string, identity: unknown[], structural: boolean): number => {
    requests.push({ stage, part, identity: JSON.stringify([stage, ...identity]), structural });
    return requests.length - 1;
  };
  const loops: { task: number; check: number; wait: number; poll: number; done: number }[] = [];
  const askLoop = (s: string, action: Action, task: number): void => {
    if (!polls(action)) return;
    const part = (p: string) => ask(s, `${action.name}.${p}`, ['action', action.name, p], false);
    loops.push({ task, check: part('polling'), wait: part('wait'), poll: part('poll'), done: part('done') });
  };
  const plan = stages.map((stage, i) => {
    const s = stage.name;
    const gate = ask(s, 'gate', ['gate'], true);
    const enter = ask(s, 'enter', ['enter'], true);
    const groups: number[] = [];
    const actions: number[][] = [];
    for (const group of groupsByStage[i] as Group[]) {
      if (group.actions.length === 1) {
        const a = ask(
          s,
          (group.actions[0] as Action).name,
          ['action', (group.actions[0] as Action).name],
          false,
        );
        groups.push(a);
        actions.push([a]);
        askLoop(s, group.actions[0] as Action, a);
      } else {
        groups.push(ask(s, `run${group.runOrder}`, ['run', group.runOrder], true));
        actions.push(
          group.actions.map((action) => {
            const a = ask(s, action.name, ['action', action.name], false);
            askLoop(s, action, a);
            return a;
          }),
        );
      }
    }
    const leave = ask(s, 'leave', ['leave'], true);
    const failed = ask(s, 'failed', ['failed'], true);
    const decide = ask(s, 'decide', ['decide'], true);
    return { gate, enter, groups, actions, leave, failed, decide };
  });
  const reserved = [START_STATE, FINISH_STATE, SUCCEEDED_STATE, FAILED_STATE];
  const allocated = allocateStateNames(requests, reserved);
  const all = new Set<string>(reserved);
  for (const name of allocated) {
    if (all.has(name)) {
      throw new CompileError(
        `two states would both be named "${name}"; rename the stage or action so their names differ`,
      );
    }
    all.add(name);
  }
  const at = (i: number): string => allocated[i] as string;
  const polling = new Map<string, PollLoopNames>();
  for (const l of loops) {
    const names = {
      task: at(l.task),
      check: at(l.check),
      wait: at(l.wait),
      poll: at(l.poll),
      done: at(l.done),
    };
    polling.set(names.task, names);
  }
  return plan.map((p) => ({
    polls: polling,
    gate: at(p.gate),
    enter: at(p.enter),
    groups: p.groups.map(at),
    actions: p.actions.map((list) => list.map(at)),
    leave: at(p.leave),
    failed: at(p.failed),
    decide: at(p.decide),
  }));
}

/** Rejects what validation should already have rejected, with a path to the offending part. */
function checkModel(pipeline: Pipeline, options: CompileOptions): void {
  const { actionRunner, stageGate } = options.resources;
  for (const [key, value] of Object.entries({ actionRunner, stageGate })) {
    if (typeof value !== 'string' || value === '' || value.startsWith('{%')) {
      throw new CompileError(
        `resources.${key} must be a Lambda function name or ARN; got ${JSON.stringify(value)}`,
      );
    }
  }
  if (pipeline.stages.length === 0) {
    throw new CompileError(
      'the pipeline has no stages; add at least one stage (validate the pipeline first)',
      {
        path: ['stages'],
      },
    );
  }
  const stageNames = new Set<string>();
  pipeline.stages.forEach((stage, i) => {
    checkName(stage.name, ['stages', i, 'name'], 'stage');
    if (stageNames.has(stage.name)) {
      throw new CompileError(`stage name "${stage.name}" is used twice; stage names must be unique`, {
        path: ['stages', i, 'name'],
      });
    }
    stageNames.add(stage.name);
    if (stage.actions.length === 0) {
      throw new CompileError(`stage "${stage.name}" has no actions; add at least one action`, {
        path: ['stages', i, 'actions'],
      });
    }
    const actionNames = new Set<string>();
    stage.actions.forEach((action, j) => {
      const path = ['stages', i, 'actions', j];
      checkName(action.name, [...path, 'name'], 'action');
      if (actionNames.has(action.name)) {
        throw new CompileError(
          `action name "${action.name}" is used twice in stage "${stage.name}"; rename one`,
          {
            path: [...path, 'name'],
          },
        );
      }
      actionNames.add(action.name);
      if (!Number.isInteger(action.runOrder) || action.runOrder < 1 || action.runOrder > 999) {
        throw new CompileError(`runOrder must be an integer from 1 to 999; got ${action.runOrder}`, {
          path: [...path, 'runOrder'],
        });
      }
      const t = action.timeoutInMinutes;
      if (t !== undefined && (!Number.isInteger(t) || t < 1)) {
        throw new CompileError(`timeoutInMinutes must be a positive whole number of minutes; got ${t}`, {
          path: [...path, 'timeoutInMinutes'],
        });
      }
    });
  });
}

function checkName(name: string, path: (string | number)[], what: string): void {
  if (typeof name !== 'string' || name === '') {
    throw new CompileError(`a ${what} has no name; give it one`, { path });
  }
  // Step Functions reads a string that starts with "{%" as a JSONata expression.
  if (name.startsWith('{%')) {
    throw new CompileError(`${what} name ${JSON.stringify(name)} must not start with "{%"; rename it`, {
      path,
    });
  }
}
