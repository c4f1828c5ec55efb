/**
 * Runs a definition shaped exactly like docs/execution.md (hand-written here; the compiler's
 * own output is checked where the compiler lives): two stages, the second with a Parallel of
 * two actions, gate / enter / leave / failed / decide, Finish and Succeeded.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './clock.ts';
import type { StateDefinition, StateMachineDefinition } from './definition.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

const TOKEN_TASK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const LAMBDA_RETRY = {
  ErrorEquals: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL' as const,
};

function payload(kind: string, stage: string, action?: string): Record<string, unknown> {
  return {
    kind,
    pipeline: '{% $pipeline %}',
    executionId: '{% $executionId %}',
    stage,
    ...(action ? { action } : {}),
    attempt: '{% $attempt %}',
    taskToken: '{% $states.context.Task.Token %}',
  };
}

function actionTask(stage: string, action: string): StateDefinition {
  return {
    Type: 'Task',
    Resource: TOKEN_TASK,
    Arguments: { FunctionName: 'pw-runner', Payload: payload('action', stage, action) },
    Output: '{% $states.input %}',
    TimeoutSeconds: 3600,
    Retry: [LAMBDA_RETRY],
  };
}

function stage(name: string, groups: string[][], nextGate: string): Record<string, StateDefinition> {
  const catchToFailed = [{ ErrorEquals: ['States.ALL'], Next: `${name}.failed` }];
  const groupNames = groups.map((g, i) => (g.length === 1 ? `${name}.${g[0]}` : `${name}.run${i + 1}`));
  const states: Record<string, StateDefinition> = {
    [`${name}.gate`]: {
      Type: 'Task',
      Resource: TOKEN_TASK,
      Arguments: { FunctionName: 'pw-gate', Payload: payload('gate', name) },
      Output: '{% $states.result %}',
      Retry: [LAMBDA_RETRY],
      Catch: catchToFailed,
      Next: `${name}.enter`,
    },
    [`${name}.enter`]: {
      Type: 'Choice',
      Choices: [{ Condition: '{% $states.input.decision = "SKIP" %}', Next: nextGate }],
      Default: groupNames[0],
    },
  };
  groups.forEach((group, i) => {
    const next = groupNames[i + 1] ?? `${name}.leave`;
    const groupName = groupNames[i] as string;
    states[groupName] =
      group.length === 1
        ? { ...actionTask(name, group[0] as string), Catch: catchToFailed, Next: next }
        : {
            Type: 'Parallel',
            Branches: group.map((a) => ({
              StartAt: `${name}.${a}`,
              States: { [`${name}.${a}`]: { ...actionTask(name, a), End: true } },
            })),
            Output: '{% $states.input %}',
            Catch: catchToFailed,
            Next: next,
          };
  });
  states[`${name}.leave`] = {
    Type: 'Task',
    Resource: TOKEN_TASK,
    Arguments: { FunctionName: 'pw-gate', Payload: payload('leave', name) },
    Output: '{% $states.input %}',
    Retry: [LAMBDA_RETRY],
    Catch: catchToFailed,
    Next: nextGate,
  };
  states[`${name}.failed`] = {
    Type: 'Task',
    Resource: TOKEN_TASK,
    Arguments: {
      FunctionName: 'pw-gate',
      Payload: { ...payload('stageFailed', name), error: '{% $states.input %}' },
    },
    Output: '{% $states.result %}',
    Retry: [LAMBDA_RETRY],
    Next: `${name}.decide`,
  };
  states[`${name}.decide`] = {
    Type: 'Choice',
    Choices: [
      {
        Condition: '{% $states.input.decision = "RETRY_ALL_ACTIONS" %}',
        Assign: { attempt: '{% $attempt + 1 %}' },
        Next: `${name}.gate`,
      },
      {
        Condition: '{% $states.input.decision = "RETRY_FAILED_ACTIONS" %}',
        Assign: { attempt: '{% $attempt + 1 %}' },
        Next: groupNames[0] as string,
      },
    ],
    Default: 'Failed',
  };
  return states;
}

const definition: StateMachineDefinition = {
  QueryLanguage: 'JSONata',
  StartAt: 'Start',
  States: {
    Start: {
      Type: 'Pass',
      Assign: {
        pipeline: '{% $states.input.pipeline %}',
        executionId: '{% $states.input.executionId %}',
        attempt: 0,
      },
      Next: 'Source.gate',
    },
    ...stage('Source', [['Checkout']], 'Build.gate'),
    ...stage('Build', [['Compile', 'Lint']], 'Finish'),
    Finish: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: 'pw-gate',
        Payload: {
          kind: 'finish',
          pipeline: '{% $pipeline %}',
          executionId: '{% $executionId %}',
          attempt: '{% $attempt %}',
        },
      },
      Output: '{% {"pipeline": $pipeline, "executionId": $executionId} %}',
      Retry: [LAMBDA_RETRY],
      Next: 'Succeeded',
    },
    Succeeded: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'Pipewright.StageFailed', Cause: 'A stage failed and was not retried.' },
  },
};

type Payload = {
  kind: string;
  stage?: string;
  action?: string;
  attempt: number;
  taskToken?: string;
  error?: unknown;
};

function engine(decisions: string[]) {
  const sfn = new LocalStepFunctions({ clock: new SimulatedClock(0), random: () => 0.5 });
  const seen: Payload[] = [];
  sfn.registerHandler('pw-gate', (p) => {
    const call = p as Payload;
    seen.push(call);
    if (call.kind === 'finish') return { ok: true };
    const output =
      call.kind === 'gate'
        ? { decision: 'ENTER' }
        : call.kind === 'stageFailed'
          ? { decision: decisions.shift() }
          : {};
    void sfn.sendTaskSuccess({ taskToken: call.taskToken ?? '', output: JSON.stringify(output) });
    return undefined;
  });
  sfn.registerHandler('pw-runner', (p) => {
    const call = p as Payload;
    seen.push(call);
    // Lint fails on attempt 0; everything else succeeds at once.
    if (call.action === 'Lint' && call.attempt === 0) {
      void sfn.sendTaskFailure({
        taskToken: call.taskToken ?? '',
        error: 'Action.Failed',
        cause: 'lint errors',
      });
    } else {
      void sfn.sendTaskSuccess({ taskToken: call.taskToken ?? '', output: '{"status":"Succeeded"}' });
    }
    return undefined;
  });
  return { sfn, seen };
}

const summary = (seen: Payload[]) =>
  seen.map((c) => `${c.kind}:${c.stage ?? ''}${c.action ? `.${c.action}` : ''}@${c.attempt}`);

describe('a definition shaped like docs/execution.md', () => {
  it('runs to completion, retrying a failed stage with RETRY_FAILED_ACTIONS', async () => {
    // Prepare
    const { sfn, seen } = engine(['RETRY_FAILED_ACTIONS']);
    // Act
    const { executionArn } = await sfn.startExecution({
      definition,
      name: 'e-1',
      input: '{"pipeline":"web-app","executionId":"e-1"}',
    });
    const result = await sfn.waitForExecution(executionArn);
    // Assess
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"pipeline":"web-app","executionId":"e-1"}',
    });
    expect(summary(seen)).toEqual([
      'gate:Source@0',
      'action:Source.Checkout@0',
      'leave:Source@0',
      'gate:Build@0',
      'action:Build.Compile@0',
      'action:Build.Lint@0',
      'stageFailed:Build@0',
      'action:Build.Compile@1',
      'action:Build.Lint@1',
      'leave:Build@1',
      'finish:@1',
    ]);
    expect(seen.find((c) => c.kind === 'stageFailed')?.error).toEqual({
      Error: 'Action.Failed',
      Cause: 'lint errors',
    });
    expect(sfn.openTaskTokens).toBe(0);
  });

  it('goes back to the gate with RETRY_ALL_ACTIONS', async () => {
    const { sfn, seen } = engine(['RETRY_ALL_ACTIONS']);
    const { executionArn } = await sfn.startExecution({
      definition,
      name: 'e-2',
      input: '{"pipeline":"p","executionId":"e-2"}',
    });
    expect(await sfn.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(summary(seen).filter((s) => s.startsWith('gate:Build'))).toEqual(['gate:Build@0', 'gate:Build@1']);
  });

  it('fails the execution with Pipewright.StageFailed on FAIL', async () => {
    const { sfn } = engine(['FAIL']);
    const { executionArn } = await sfn.startExecution({
      definition,
      name: 'e-3',
      input: '{"pipeline":"p","executionId":"e-3"}',
    });
    expect(await sfn.waitForExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'Pipewright.StageFailed',
      cause: 'A stage failed and was not retried.',
    });
  });
});
