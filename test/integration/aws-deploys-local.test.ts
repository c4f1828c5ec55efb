/**
 * ECS and Step Functions actions, in parallel in one stage, run end to end through the local
 * runtime (SQLite log, the compiled definition in the `states` runtime on a simulated clock,
 * the engine) with the real AWS providers on mocked clients: the ECS rollout takes 20
 * minutes, the state machine execution 2 days, and neither waits inside a call.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsEcsDeployProvider, awsStepFunctionsInvokeProvider } from '@pipewright/aws';
import type { Pipeline } from '@pipewright/core';
import { SimulatedClock } from '@pipewright/states';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { openRuntimeWith } from '../support/local-runtimes.ts';
import { fakeAction, testPipeline } from '../support/pipelines.ts';
import { runOnSimulatedTime } from '../support/simulated-waits.ts';
import { FakeProvider } from '../support/test-providers.ts';
import { UNREACHABLE_AWS } from '../support/unreachable-aws.ts';

const cleanups = cleanupsAfter(afterEach);
const ecsClient = new ECSClient(UNREACHABLE_AWS);
const sfnClient = new SFNClient(UNREACHABLE_AWS);
const ecs = mockClient(ecsClient);
const sfn = mockClient(sfnClient);
afterEach(() => {
  ecs.reset();
  sfn.reset();
});
afterAll(() => {
  ecs.restore();
  sfn.restore();
  ecsClient.destroy();
  sfnClient.destroy();
});

const START = Date.parse('2026-03-02T09:00:00Z');
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:db-migrate';
const OLD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:41';
const NEW = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42';

const PIPELINE: Pipeline = testPipeline([
  { name: 'Build', actions: [fakeAction('Image', 'Source', { outputArtifacts: [{ name: 'BuildOutput' }] })] },
  {
    name: 'Deploy',
    actions: [
      {
        ...fakeAction('Service', 'Deploy', { inputArtifacts: [{ name: 'BuildOutput' }] }),
        actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ECS', version: '1' },
        configuration: { ClusterName: 'prod', ServiceName: 'web' },
      },
      {
        ...fakeAction('Migrate', 'Invoke', {
          outputArtifacts: [{ name: 'MigrateOutput' }],
          namespace: 'Migrate',
        }),
        actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'StepFunctions', version: '1' },
        configuration: { StateMachineArn: MACHINE, ExecutionNamePrefix: 'release', Input: '{"step":1}' },
      },
    ],
  },
]);

function services(clock: SimulatedClock): void {
  let updatedAt: number | undefined;
  ecs.on(DescribeServicesCommand).callsFake(async () => {
    const done = updatedAt !== undefined && clock.now() >= updatedAt + 20 * 60_000;
    const deployments =
      updatedAt === undefined
        ? [{ id: 'ecs-svc/41', status: 'PRIMARY', taskDefinition: OLD, rolloutState: 'COMPLETED' }]
        : [
            {
              id: 'ecs-svc/42',
              status: 'PRIMARY',
              taskDefinition: NEW,
              rolloutState: done ? 'COMPLETED' : 'IN_PROGRESS',
              runningCount: done ? 2 : 1,
              desiredCount: 2,
            },
          ];
    return { services: [{ serviceName: 'web', status: 'ACTIVE', taskDefinition: OLD, deployments }] };
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: OLD,
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'web:1' }],
    },
    tags: [],
  });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEW } });
  ecs.on(UpdateServiceCommand).callsFake(async () => {
    updatedAt = clock.now();
    return {};
  });
}

function stateMachine(clock: SimulatedClock): void {
  let startedAt = 0;
  sfn.on(StartExecutionCommand).callsFake(async ({ name }) => {
    startedAt = clock.now();
    return {
      executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`,
      startDate: new Date(startedAt),
    };
  });
  sfn.on(DescribeExecutionCommand).callsFake(async ({ executionArn }) => ({
    executionArn,
    stateMachineArn: MACHINE,
    name: 'release',
    status: clock.now() >= startedAt + 2 * 86_400_000 ? 'SUCCEEDED' : 'RUNNING',
    output: '{"migrated":3}',
    startDate: new Date(startedAt),
  }));
}

describe('AWS deploy providers in the local runtime', () => {
  it('runs an ECS deploy and a 2-day Step Functions execution in parallel to Succeeded', async () => {
    // Prepare
    const clock = new SimulatedClock(START);
    services(clock);
    stateMachine(clock);
    const image = new FakeProvider({
      Image: async (run) => {
        await writeFile(join(run.workspace, 'imagedefinitions.json'), '[{"name":"web","imageUri":"web:2"}]');
        const artifact = await run.artifacts.putDirectory(run.workspace, { name: 'BuildOutput' });
        return { status: 'Succeeded', outputArtifacts: [artifact], outputVariables: {} };
      },
    });
    const { runtime } = await openRuntimeWith(cleanups, 'pw-aws-deploys-', PIPELINE, {
      providers: [
        image,
        awsEcsDeployProvider({ ecs: ecsClient, now: () => clock.now() }),
        awsStepFunctionsInvokeProvider({ sfn: sfnClient }),
      ],
      clock,
      now: () => new Date(clock.now()),
      failurePolicy: 'fail',
    });
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    const view = await runOnSimulatedTime(runtime, clock, executionId);
    // Assess
    const deploy = view.stages[1]?.actions;
    expect(view.status, JSON.stringify(deploy?.map((a) => a.attempts.at(-1)?.error))).toBe('Succeeded');
    expect(deploy?.map((a) => [a.actionName, a.attempts.at(-1)?.status])).toEqual([
      ['Service', 'Succeeded'],
      ['Migrate', 'Succeeded'],
    ]);
    expect(view.namespaces.Migrate).toEqual({
      StateMachineArn: MACHINE,
      ExecutionArn: expect.stringContaining(':execution:db-migrate:release-'),
    });
    expect(clock.now() - START).toBeGreaterThanOrEqual(2 * 86_400_000);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });
});
