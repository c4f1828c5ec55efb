/**
 * Long waits run through the state machine (docs/execution.md, "Long waits"): the compiled
 * definition's Wait + poll loop, interpreted by the local `states` runtime with a simulated
 * clock, carries a CloudFormation deployment of almost 3 days (CodePipeline's limit) to its end
 * in milliseconds — and fails one that takes longer — while the real AWS provider, on a mocked
 * client, never waits inside one call.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { awsCloudFormationDeployProvider } from '@pipewright/aws';
import { compilePipeline, type Pipeline } from '@pipewright/core';
import type { ActionProvider } from '@pipewright/engine';
import type { LocalRuntime } from '@pipewright/local';
import { SimulatedClock } from '@pipewright/states';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { aslProblems } from '../support/asl-validation.ts';
import { cleanupsAfter } from '../support/cleanups.ts';
import { openRuntimeWith } from '../support/local-runtimes.ts';
import { fakeAction, testPipeline } from '../support/pipelines.ts';
import { runOnSimulatedTime, waitOut } from '../support/simulated-waits.ts';
import { FakeProvider } from '../support/test-providers.ts';
import { UNREACHABLE_AWS } from '../support/unreachable-aws.ts';

const cleanups = cleanupsAfter(afterEach);
const cfnClient = new CloudFormationClient(UNREACHABLE_AWS);
const cfn = mockClient(cfnClient);
afterEach(() => cfn.reset());
afterAll(() => {
  cfn.restore();
  cfnClient.destroy();
});

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-03-02T09:00:00Z');

const PIPELINE: Pipeline = testPipeline([
  { name: 'Source', actions: [fakeAction('Checkout', 'Source', { outputArtifacts: [{ name: 'Src' }] })] },
  {
    name: 'Deploy',
    actions: [
      {
        ...fakeAction('Stack', 'Deploy', { inputArtifacts: [{ name: 'Src' }] }),
        actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CloudFormation', version: '1' },
        configuration: { ActionMode: 'CREATE_UPDATE', StackName: 'web', TemplatePath: 'Src::template.yaml' },
      },
    ],
  },
]);

/** A stack that takes `takesMs` of (simulated) time to create once its change set is executed. */
function slowStack(clock: SimulatedClock, takesMs: number, exists = false) {
  let doneAt: number | undefined;
  let changeSet: 'none' | 'ready' | 'executed' = 'none';
  const op = exists ? 'UPDATE' : 'CREATE';
  cfn.on(DescribeStacksCommand).callsFake(async () => {
    if (changeSet === 'none' && !exists)
      throw Object.assign(new Error('Stack with id web does not exist'), { name: 'ValidationError' });
    const before = exists ? 'UPDATE_COMPLETE' : 'REVIEW_IN_PROGRESS';
    const status =
      doneAt === undefined ? before : clock.now() < doneAt ? `${op}_IN_PROGRESS` : `${op}_COMPLETE`;
    return {
      Stacks: [
        { StackName: 'web', StackId: 'arn:stack/web/1', StackStatus: status, CreationTime: new Date(START) },
      ],
    };
  });
  cfn.on(CreateChangeSetCommand).callsFake(async () => {
    changeSet = 'ready';
    return {};
  });
  cfn.on(DescribeChangeSetCommand).callsFake(async () => {
    if (changeSet !== 'ready') throw Object.assign(new Error('gone'), { name: 'ChangeSetNotFoundException' });
    return {
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
      StackId: 'arn:stack/web/1',
      Changes: [],
    };
  });
  cfn.on(ExecuteChangeSetCommand).callsFake(async () => {
    changeSet = 'executed';
    doneAt = clock.now() + takesMs;
    return {};
  });
}

async function open(clock: SimulatedClock): Promise<{ runtime: LocalRuntime; calls: number[] }> {
  const calls: number[] = [];
  const cloudformation = awsCloudFormationDeployProvider({
    cloudformation: cfnClient,
    s3: new S3Client(UNREACHABLE_AWS),
    artifactBucket: 'unused',
  });
  const timed: ActionProvider = {
    ...cloudformation,
    run: async (run) => {
      const before = clock.now();
      const outcome = await cloudformation.run(run);
      // No call waits: simulated time does not move while the provider works.
      expect(clock.now()).toBe(before);
      calls.push(before);
      return outcome;
    },
  };
  const source = new FakeProvider({
    Checkout: async (run) => {
      await writeFile(join(run.workspace, 'template.yaml'), 'Resources: {}\n');
      const artifact = await run.artifacts.putDirectory(run.workspace, { name: 'Src' });
      return { status: 'Succeeded', outputArtifacts: [artifact], outputVariables: {} };
    },
  });
  const { runtime } = await openRuntimeWith(cleanups, 'pw-long-wait-', PIPELINE, {
    providers: [source, timed],
    clock,
    now: () => new Date(clock.now()),
    failurePolicy: 'fail',
  });
  return { runtime, calls };
}

describe('long waits through the state machine', () => {
  it('compiles the CloudFormation action to a Wait + poll loop that asl-validator accepts', () => {
    const definition = compilePipeline(PIPELINE, {
      resources: { actionRunner: 'runner', stageGate: 'gate' },
    });
    expect(Object.keys(definition.States)).toEqual(
      expect.arrayContaining([
        'Deploy.Stack',
        'Deploy.Stack.polling',
        'Deploy.Stack.wait',
        'Deploy.Stack.poll',
      ]),
    );
    expect(aslProblems(definition)).toBe('');
  });

  it('waits almost 3 days for a stack in milliseconds, polling less and less often', async () => {
    // Prepare
    const clock = new SimulatedClock(START);
    slowStack(clock, 3 * DAY - 2 * HOUR);
    const { runtime, calls } = await open(clock);
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    const view = await runOnSimulatedTime(runtime, clock, executionId);
    // Assess
    expect(view.status, view.stages[1]?.actions[0]?.attempts[0]?.error?.message).toBe('Succeeded');
    const stack = view.stages[1]?.actions[0]?.attempts[0];
    expect(stack).toMatchObject({ status: 'Succeeded', summary: 'stack web is CREATE_COMPLETE' });
    expect(clock.now() - START).toBeGreaterThanOrEqual(3 * DAY - 2 * HOUR);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    const gaps = calls.slice(1).map((t, i) => t - (calls[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(600 * 1000);
    expect(calls.length).toBeLessThan(600);
  });

  it("fails the action when the stack is not done within CloudFormation actions' 3 days", async () => {
    // Prepare
    const clock = new SimulatedClock(START);
    slowStack(clock, 4 * DAY);
    const { runtime } = await open(clock);
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    const view = await runOnSimulatedTime(runtime, clock, executionId);
    // Assess
    expect(view.status).toBe('Failed');
    const stack = view.stages[1]?.actions[0]?.attempts[0];
    expect(stack?.error?.message).toContain('did not finish within 4320 minutes');
    expect(clock.now() - START).toBeGreaterThanOrEqual(3 * DAY);
    expect(clock.now() - START).toBeLessThan(3 * DAY + HOUR);
  });

  it('cancels the stack update when the execution is stopped during the wait', async () => {
    // Prepare
    const clock = new SimulatedClock(START);
    slowStack(clock, 2 * DAY, true);
    cfn.on(CancelUpdateStackCommand).resolves({});
    const { runtime, calls } = await open(clock);
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    await waitOut(runtime, clock, () => calls.length >= 4);
    // Act
    const view = await runtime.engine.stop(executionId, {
      abandon: true,
      actor: { kind: 'user', id: 'alice' },
    });
    // Assess
    expect(view.status).toBe('Stopped');
    expect(view.stages[1]?.actions[0]?.attempts[0]).toMatchObject({
      status: 'Abandoned',
      externalExecutionId: 'arn:stack/web/1',
    });
    expect(cfn.commandCalls(CancelUpdateStackCommand).map((c) => c.args[0].input)).toEqual([
      { StackName: 'web', ClientRequestToken: expect.stringMatching(/^pw-cancel-[0-9a-f]{32}$/) },
    ]);
  });
});
