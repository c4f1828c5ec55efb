import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  type Deployment,
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandOutput,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { ActionOutcome, ActionRun } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsEcsDeployProvider, ECS_REVISION_TAG } from './ecs-deploy.ts';
import { type AwsTestRun, makeAwsRun } from './testing/make-run.ts';

const FIXTURES = new URL('../../../../test/fixtures/providers/ecs/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const CURRENT = JSON.parse(fixture('current-task-definition.json')) as DescribeTaskDefinitionCommandOutput;
const OLD_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:41';
const NEW_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42';
const START = Date.parse('2026-03-02T09:00:00Z');

const client = new ECSClient(UNREACHABLE);
const ecs = mockedClient(client);
let now = START;
const provider = awsEcsDeployProvider({ ecs: client, now: () => now });
let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
  now = START;
});

async function ecsRun(
  configuration: Record<string, string> = {},
  files = { 'imagedefinitions.json': fixture('imagedefinitions.json') },
) {
  t = await makeAwsRun({
    action: {
      name: 'Ship',
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ECS', version: '1' },
      configuration: { ClusterName: 'prod', ServiceName: 'web', ...configuration },
    },
    inputs: { Build: files },
  });
  return t.run;
}

function service(deployments: Deployment[], taskDefinition = OLD_ARN): DescribeServicesCommandOutput {
  return {
    $metadata: {},
    services: [
      {
        serviceName: 'web',
        status: 'ACTIVE',
        taskDefinition,
        deploymentController: { type: 'ECS' },
        deployments,
        events: [
          {
            id: 'e2',
            createdAt: new Date(START + 60_000),
            message: '(service web) deployment failed: tasks failed to start.',
          },
          {
            id: 'e1',
            createdAt: new Date(START - 60_000),
            message: '(service web) has reached a steady state.',
          },
        ],
      },
    ],
  };
}

const primary = (rolloutState: Deployment['rolloutState'], extra: Partial<Deployment> = {}): Deployment => ({
  id: 'ecs-svc/42',
  status: 'PRIMARY',
  taskDefinition: NEW_ARN,
  rolloutState,
  runningCount: rolloutState === 'COMPLETED' ? 3 : 1,
  desiredCount: 3,
  createdAt: new Date(START),
  ...extra,
});

function deployable(): void {
  ecs
    .on(DescribeServicesCommand)
    .resolves(
      service([{ id: 'ecs-svc/41', status: 'PRIMARY', taskDefinition: OLD_ARN, rolloutState: 'COMPLETED' }]),
    );
  ecs.on(DescribeTaskDefinitionCommand).resolves(CURRENT);
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEW_ARN } });
  ecs.on(UpdateServiceCommand).resolves({ service: { serviceName: 'web' } });
}

const names = () => ecs.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));

async function started(run: ActionRun): Promise<Record<string, unknown>> {
  const first = await provider.run(run);
  if (first.status !== 'InProgress') throw new Error(`not in progress: ${JSON.stringify(first)}`);
  return first.state;
}

/**
 * A deployment this provider started (revision registered, service updated); `poll` answers
 * DescribeServices with `described` and polls it.
 */
async function startedDeployment(configuration: Record<string, string> = {}) {
  deployable();
  const run = await ecsRun(configuration);
  const state = await started(run);
  const poll = (described: DescribeServicesCommandOutput): Promise<ActionOutcome> => {
    ecs.on(DescribeServicesCommand).resolves(described);
    return provider.run({ ...run, progress: state });
  };
  return { run, state, poll };
}

describe('awsEcsDeployProvider', () => {
  it('registers a new revision with the images of imagedefinitions.json and updates the service', async () => {
    // Prepare
    deployable();
    const run = await ecsRun({ DeploymentTimeout: '30' });
    // Act
    const outcome = await provider.run(run);
    // Assess
    expect(names()).toEqual([
      'DescribeServices',
      'DescribeTaskDefinition',
      'RegisterTaskDefinition',
      'UpdateService',
    ]);
    expect(ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input).toEqual({
      cluster: 'prod',
      services: ['web'],
    });
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      taskDefinition: OLD_ARN,
      include: ['TAGS'],
    });
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    const golden = new URL('registered-task-definition.json', FIXTURES);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, `${JSON.stringify(registered, null, 2)}\n`);
    expect(existsSync(golden), 'run with UPDATE_GOLDEN=1 and review registered-task-definition.json').toBe(
      true,
    );
    expect(registered).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: NEW_ARN,
    });
    expect(outcome).toEqual({
      status: 'InProgress',
      state: { taskDefinitionArn: NEW_ARN, deadline: '2026-03-02T09:30:00.000Z', minutes: 30 },
      pollAfterSeconds: 15,
      summary: `service web of cluster prod is deploying ${NEW_ARN}`,
      externalExecutionId: NEW_ARN,
    });
  });

  it('polls until the deployment is COMPLETED, then succeeds', async () => {
    // Prepare
    const { state, poll } = await startedDeployment();
    // Act
    const waiting = await poll(
      service([primary('IN_PROGRESS'), { id: 'ecs-svc/41', status: 'ACTIVE', taskDefinition: OLD_ARN }]),
    );
    const done = await poll(service([primary('COMPLETED')], NEW_ARN));
    const steady = await poll(service([primary(undefined, { runningCount: 3 })], NEW_ARN));
    // Assess
    expect(steady).toMatchObject({
      status: 'Succeeded',
      summary: `service web of cluster prod runs ${NEW_ARN}: 3/3 tasks`,
    });
    expect(waiting).toMatchObject({
      status: 'InProgress',
      state,
      summary: expect.stringContaining('IN_PROGRESS, 1/3 tasks'),
    });
    expect(done).toEqual({
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
      summary: `service web of cluster prod runs ${NEW_ARN}: 3/3 tasks`,
      externalExecutionId: 'ecs-svc/42',
    });
  });

  it('fails with the reason and the service events when the deployment fails', async () => {
    const { poll } = await startedDeployment();
    const outcome = await poll(
      service([
        primary('FAILED', { rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
      ]),
    );
    expect(outcome).toEqual({
      status: 'Failed',
      error: {
        type: 'JobFailed',
        message: `the deployment of ${NEW_ARN} to service web of cluster prod failed: ECS deployment circuit breaker: tasks failed to start.\n(service web) deployment failed: tasks failed to start.`,
      },
    });
  });

  it('fails when ECS rolled the deployment back to the previous revision', async () => {
    const { poll } = await startedDeployment();
    const replacing: Deployment = {
      id: 'ecs-svc/43',
      status: 'PRIMARY',
      taskDefinition: OLD_ARN,
      rolloutState: 'IN_PROGRESS',
    };
    const outcome = await poll(service([replacing, primary('FAILED', { status: 'ACTIVE' })]));
    expect(outcome).toMatchObject({ status: 'Failed', error: { type: 'JobFailed' } });
    expect(outcome.status === 'Failed' && outcome.error.message).toContain('failed');
    expect(await poll(service([replacing]))).toMatchObject({
      status: 'Failed',
      error: { message: expect.stringContaining(`was rolled back or replaced: ECS now deploys ${OLD_ARN}`) },
    });
  });

  it('fails once DeploymentTimeout has passed, leaving ECS to go on', async () => {
    const { poll } = await startedDeployment({ DeploymentTimeout: '10' });
    now = START + 10 * 60_000;
    expect(await poll(service([primary('IN_PROGRESS')]))).toMatchObject({
      status: 'Failed',
      error: {
        type: 'JobFailed',
        message: expect.stringContaining(
          'did not complete within DeploymentTimeout (10 minutes): 1/3 tasks run',
        ),
      },
    });
  });

  it('polls again when ECS throttles, and fails at once when access is denied', async () => {
    // Prepare
    const { run, state } = await startedDeployment();
    ecs
      .on(DescribeServicesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // Act
    const throttled = await provider.run({ ...run, progress: state });
    ecs.reset();
    deployable();
    ecs.on(RegisterTaskDefinitionCommand).rejects(
      Object.assign(new Error('not authorized to perform: ecs:RegisterTaskDefinition'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const denied = await provider.run(await ecsRun());
    // Assess
    expect(throttled).toEqual({
      status: 'InProgress',
      state: { ...state, transient: 1 },
      pollAfterSeconds: 30,
    });
    expect(denied).toMatchObject({
      status: 'Failed',
      error: {
        type: 'PermissionError',
        message: expect.stringContaining('registering a new revision of task definition web'),
      },
    });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('registers nothing twice when its start is made again after the revision was deployed', async () => {
    // Prepare: the service already runs the revision this attempt registered
    deployable();
    const run = await ecsRun();
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      ...CURRENT,
      taskDefinition: { ...CURRENT.taskDefinition, taskDefinitionArn: NEW_ARN },
      tags: [{ key: ECS_REVISION_TAG, value: run.actionExecutionId }],
    });
    // Act
    const outcome: ActionOutcome = await provider.run({ ...run, progress: { restart: true } });
    // Assess
    expect(outcome).toMatchObject({ status: 'InProgress', state: { taskDefinitionArn: NEW_ARN } });
    expect(names()).toEqual(['DescribeServices', 'DescribeTaskDefinition']);
  });

  it('refuses image definitions it cannot deploy, before registering anything', async () => {
    deployable();
    const cases: [Record<string, string>, string][] = [
      [{}, 'artifact Build has no imagedefinitions.json'],
      [
        { 'imagedefinitions.json': '{"name":"web"}' },
        'must be a JSON array of {"name": "<container name>", "imageUri": "<image URI>"}',
      ],
      [
        { 'imagedefinitions.json': '[{"name":"api","imageUri":"x"}]' },
        'container api, which task definition web does not have (containers: web, worker, log-router)',
      ],
    ];
    for (const [files, message] of cases) {
      expect(
        await provider.run(await ecsRun({}, files as { 'imagedefinitions.json': string })),
      ).toMatchObject({
        status: 'Failed',
        error: { type: 'ConfigurationError', message: expect.stringContaining(message) },
      });
    }
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });
});
