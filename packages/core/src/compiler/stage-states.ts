/**
 * The states of one stage in a compiled definition: its gate, the Choice that skips it, one
 * state per runOrder group (a Task, a poll loop or a Parallel), and leave, failed and decide.
 * States are added in definition order: the key order is part of the compiled bytes.
 */
import type { Action, Stage } from '../model/pipeline.ts';
import type { AslBranch, AslCatcher, AslState, AslTaskState } from './asl-types.ts';
import type { CompiledState, CompileOptions } from './compile-pipeline.ts';
import { actionTask, EXPR, LAMBDA_RETRY, lambdaArguments, TOKEN_TASK, tokenPayload } from './lambda-tasks.ts';
import { pollLoopMeta, pollLoopStates } from './poll-loop.ts';
import type { Group, StageNames } from './stage-plan.ts';

/** The definition's states so far, and where each comes from. */
export interface CompiledStates {
  states: Record<string, AslState>;
  meta: CompiledState[];
}

/** One stage to compile: its names, its runOrder groups and the state after it. */
export interface StageToCompile {
  stage: Stage;
  names: StageNames;
  groups: Group[];
  /** The next stage's gate, or the Finish state after the last stage. */
  nextStage: string;
  /** The Fail state a `FAIL` decision leads to. */
  failedState: string;
}

/** Adds every state of one stage to `out`. */
export function addStageStates(
  out: CompiledStates,
  s: StageToCompile,
  resources: CompileOptions['resources'],
): void {
  const { stage, names: n } = s;
  const firstGroup = n.groups[0] as string;
  const catchToFailed: AslCatcher[] = [
    { ErrorEquals: ['States.ALL'], Next: n.failed, Output: EXPR.errorOutput },
  ];

  out.states[n.gate] = stageGateTask(resources.stageGate, 'gate', stage.name, catchToFailed, {
    Comment: `Stage ${stage.name}: wait until the execution may enter (lock, transition, BeforeEntry).`,
    Output: EXPR.result,
    Next: n.enter,
  });
  out.meta.push({ stateName: n.gate, kind: 'gate', stage: stage.name });

  out.states[n.enter] = {
    Type: 'Choice',
    Choices: [{ Condition: EXPR.isSkip, Next: s.nextStage }],
    Default: firstGroup,
  };
  out.meta.push({ stateName: n.enter, kind: 'enter', stage: stage.name });

  s.groups.forEach((group, g) => {
    addGroupStates(out, s, group, g, { catchToFailed, actionRunner: resources.actionRunner });
  });

  out.states[n.leave] = stageGateTask(resources.stageGate, 'leave', stage.name, catchToFailed, {
    Comment: `Stage ${stage.name}: OnSuccess conditions, release the stage lock.`,
    Output: EXPR.input,
    Next: s.nextStage,
  });
  out.meta.push({ stateName: n.leave, kind: 'leave', stage: stage.name });
  addFailureStates(out, s, resources.stageGate);
}

/** The gate or leave Task of a stage: the stage gate's invoke, failing to the stage-failed state. */
function stageGateTask(
  stageGate: string,
  kind: 'gate' | 'leave',
  stage: string,
  catchToFailed: AslCatcher[],
  parts: { Comment: string; Output: string; Next: string },
): AslTaskState {
  return {
    Type: 'Task',
    Comment: parts.Comment,
    Resource: TOKEN_TASK,
    Arguments: lambdaArguments(stageGate, tokenPayload(kind, stage)),
    Output: parts.Output,
    Retry: [LAMBDA_RETRY],
    Catch: catchToFailed,
    Next: parts.Next,
  };
}

/** The stage-failed Task (record the failure, wait for a decision) and the Choice on that decision. */
function addFailureStates(out: CompiledStates, s: StageToCompile, stageGate: string): void {
  const { stage, names: n } = s;
  out.states[n.failed] = {
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
  out.meta.push({ stateName: n.failed, kind: 'stageFailed', stage: stage.name });

  out.states[n.decide] = {
    Type: 'Choice',
    Choices: [
      { Condition: EXPR.isRetryAll, Assign: { attempt: EXPR.nextAttempt }, Next: n.gate },
      { Condition: EXPR.isRetryFailed, Assign: { attempt: EXPR.nextAttempt }, Next: n.groups[0] as string },
    ],
    Default: s.failedState,
  };
  out.meta.push({ stateName: n.decide, kind: 'decide', stage: stage.name });
}

interface GroupContext {
  catchToFailed: AslCatcher[];
  actionRunner: string;
}

/** One runOrder group: a single action's Task (or poll loop), or a Parallel of its actions. */
function addGroupStates(
  out: CompiledStates,
  s: StageToCompile,
  group: Group,
  g: number,
  c: GroupContext,
): void {
  const { stage, names: n } = s;
  const groupName = n.groups[g] as string;
  const next = n.groups[g + 1] ?? n.leave;
  if (group.actions.length === 1) {
    const action = group.actions[0] as Action;
    const loop = n.polls.get(groupName);
    if (loop !== undefined) {
      const task = actionTask(stage, action, c.actionRunner);
      Object.assign(out.states, pollLoopStates(task, loop, { Next: next }, c.catchToFailed));
      out.meta.push(...pollLoopMeta(loop, stage.name, action.name, false));
      return;
    }
    out.states[groupName] = {
      ...actionTask(stage, action, c.actionRunner),
      Catch: c.catchToFailed,
      Next: next,
    };
    out.meta.push({ stateName: groupName, kind: 'action', stage: stage.name, action: action.name });
    return;
  }
  out.meta.push({ stateName: groupName, kind: 'group', stage: stage.name, runOrder: group.runOrder });
  const actionNames = n.actions[g] as string[];
  const branches: AslBranch[] = group.actions.map((action, a) =>
    actionBranch(out, stage, action, actionNames[a] as string, s.names, c.actionRunner),
  );
  out.states[groupName] = {
    Type: 'Parallel',
    Comment: `Stage ${stage.name}: runOrder ${group.runOrder} (${group.actions.length} actions in parallel).`,
    Branches: branches,
    Output: EXPR.input,
    Catch: c.catchToFailed,
    Next: next,
  };
}

/** The branch of one action in a Parallel: its Task, or its poll loop. */
function actionBranch(
  out: CompiledStates,
  stage: Stage,
  action: Action,
  taskName: string,
  n: StageNames,
  actionRunner: string,
): AslBranch {
  const loop = n.polls.get(taskName);
  if (loop !== undefined) {
    out.meta.push(...pollLoopMeta(loop, stage.name, action.name, true));
    const task = actionTask(stage, action, actionRunner);
    return { StartAt: taskName, States: pollLoopStates(task, loop, { End: true }) };
  }
  out.meta.push({ stateName: taskName, kind: 'action', stage: stage.name, action: action.name });
  return {
    StartAt: taskName,
    States: { [taskName]: { ...actionTask(stage, action, actionRunner), End: true } },
  };
}
