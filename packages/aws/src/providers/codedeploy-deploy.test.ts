import {
  CodeDeployClient,
  CreateDeploymentCommand,
  type DeploymentInfo,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import type { ActionRun } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsCodeDeployProvider } from './codedeploy-deploy.ts';
import { type AwsTestRun, cancelRequest, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const client = new CodeDeployClient(UNREACHABLE);
const codedeploy = mockedClient(client);
const provider = awsCodeDeployProvider({ codedeploy: client });
let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function deployRun(): Promise<ActionRun> {
  t = await makeAwsRun({
    action: {
      name: 'Fleet',
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CodeDeploy', version: '1' },
      configuration: { ApplicationName: 'app', DeploymentGroupName: 'prod-fleet' },
    },
    inputs: { SourceOutput: { 'appspec.yml': 'version: 0.0\nos: linux\n' } },
  });
  return t.run;
}

const deployment = (status: DeploymentInfo['status'], extra: Partial<DeploymentInfo> = {}) => ({
  deploymentInfo: { deploymentId: 'd-ABC123', status, ...extra },
});

describe('awsCodeDeployProvider', () => {
  it('deploys the input artifact from the artifact bucket, then polls it to Succeeded', async () => {
    // Prepare
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-ABC123' });
    codedeploy
      .on(GetDeploymentCommand)
      .resolvesOnce(
        deployment('InProgress', { deploymentOverview: { Succeeded: 1, InProgress: 2, Pending: 1 } }),
      )
      .resolves(deployment('Succeeded'));
    const run = await deployRun();
    // Act
    const first = await provider.run(run);
    const polled = await provider.run({ ...run, progress: { deploymentId: 'd-ABC123' } });
    const done = await provider.run({ ...run, progress: { deploymentId: 'd-ABC123' } });
    // Assess
    expect(codedeploy.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      {
        applicationName: 'app',
        deploymentGroupName: 'prod-fleet',
        revision: {
          revisionType: 'S3',
          s3Location: { bucket: TEST_BUCKET, key: 'artifacts/sha256/SourceOutput.zip', bundleType: 'zip' },
        },
        description: 'Pipewright web-app 7f0c:Build:Fleet:0:1',
      },
    ]);
    expect(first).toEqual({
      status: 'InProgress',
      state: { deploymentId: 'd-ABC123' },
      pollAfterSeconds: 15,
      summary: 'deployment d-ABC123 in deployment group prod-fleet of application app',
      externalExecutionId: 'd-ABC123',
    });
    expect(polled).toMatchObject({
      status: 'InProgress',
      summary: 'deployment d-ABC123 is InProgress (1 succeeded, 2 in progress, 1 pending)',
    });
    expect(done).toEqual({
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
      summary: 'deployment d-ABC123 succeeded',
      externalExecutionId: 'd-ABC123',
    });
  });

  it("fails with CodeDeploy's error and the rollback that followed", async () => {
    codedeploy.on(GetDeploymentCommand).resolves(
      deployment('Failed', {
        errorInformation: {
          code: 'HEALTH_CONSTRAINTS',
          message: 'The overall deployment failed because too many individual instances failed deployment',
        },
        rollbackInfo: { rollbackDeploymentId: 'd-ROLL1', rollbackMessage: 'automatic rollback' },
      }),
    );
    expect(await provider.run({ ...(await deployRun()), progress: { deploymentId: 'd-ABC123' } })).toEqual({
      status: 'Failed',
      error: {
        type: 'JobFailed',
        message:
          'deployment d-ABC123 Failed: HEALTH_CONSTRAINTS The overall deployment failed because too many individual instances failed deployment; rolled back by deployment d-ROLL1 (automatic rollback)',
      },
      externalExecutionId: 'd-ABC123',
    });
    codedeploy.on(GetDeploymentCommand).resolves(deployment('Stopped'));
    expect(
      await provider.run({ ...(await deployRun()), progress: { deploymentId: 'd-ABC123' } }),
    ).toMatchObject({
      status: 'Failed',
      error: { message: 'deployment d-ABC123 Stopped' },
    });
  });

  it('finds the deployment it already created when its start is made again, creating nothing twice', async () => {
    const run = await deployRun();
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-OTHER', 'd-ABC123'] });
    codedeploy
      .on(GetDeploymentCommand, { deploymentId: 'd-OTHER' })
      .resolves(deployment('InProgress', { deploymentId: 'd-OTHER', description: 'someone else' }))
      .on(GetDeploymentCommand, { deploymentId: 'd-ABC123' })
      .resolves(deployment('InProgress', { description: 'Pipewright web-app 7f0c:Build:Fleet:0:1' }));
    expect(await provider.run({ ...run, progress: { restart: true } })).toMatchObject({
      status: 'InProgress',
      state: { deploymentId: 'd-ABC123' },
    });
    expect(codedeploy.commandCalls(ListDeploymentsCommand)[0]?.args[0].input).toEqual({
      applicationName: 'app',
      deploymentGroupName: 'prod-fleet',
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
    });
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it('polls again when throttled, and fails at once when access is denied', async () => {
    const run = await deployRun();
    codedeploy
      .on(GetDeploymentCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect(await provider.run({ ...run, progress: { deploymentId: 'd-ABC123' } })).toEqual({
      status: 'InProgress',
      state: { deploymentId: 'd-ABC123', transient: 1 },
      pollAfterSeconds: 30,
    });
    codedeploy.on(CreateDeploymentCommand).rejects(
      Object.assign(new Error('not authorized to perform: codedeploy:CreateDeployment'), {
        name: 'AccessDeniedException',
      }),
    );
    expect(await provider.run(run)).toMatchObject({
      status: 'Failed',
      error: {
        type: 'PermissionError',
        message: expect.stringContaining('creating a deployment in deployment group prod-fleet'),
      },
    });
  });

  it('stops the deployment, rolling back, when the execution is stopped', async () => {
    codedeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    const run = await deployRun();
    const request = cancelRequest(run);
    await provider.cancel?.({ ...request, externalExecutionId: 'd-ABC123' });
    await provider.cancel?.(request);
    expect(codedeploy.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { deploymentId: 'd-ABC123', autoRollbackEnabled: true },
    ]);
  });

  it('asks a client source given as a function for the client of each call, with the action (its roleArn and region)', async () => {
    // Prepare: the action runner passes ActionClients behind such a function (it caches the clients).
    const scopes: { executionId: string; roleArn?: string; region?: string }[] = [];
    const lazy = awsCodeDeployProvider({
      codedeploy: async (scope) => {
        scopes.push({
          executionId: scope.executionId,
          ...(scope.action.roleArn === undefined ? {} : { roleArn: scope.action.roleArn }),
          ...(scope.action.region === undefined ? {} : { region: scope.action.region }),
        });
        return client;
      },
    });
    codedeploy.on(GetDeploymentCommand).resolves(deployment('InProgress'));
    const run = await deployRun();
    const action = { ...run.action, roleArn: 'arn:aws:iam::210987654321:role/deployer', region: 'us-west-2' };
    // Act
    await lazy.run({ ...run, action, progress: { deploymentId: 'd-ABC123' } });
    await lazy.run({ ...run, action, progress: { deploymentId: 'd-ABC123' } });
    // Assess
    expect(scopes).toEqual([
      { executionId: run.executionId, roleArn: action.roleArn, region: 'us-west-2' },
      { executionId: run.executionId, roleArn: action.roleArn, region: 'us-west-2' },
    ]);
  });
});
