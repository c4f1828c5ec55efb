import {
  AbortEnvironmentUpdateCommand,
  CreateApplicationVersionCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  type EnvironmentDescription,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import type { ActionRun } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsElasticBeanstalkDeployProvider, versionLabel } from './elastic-beanstalk-deploy.ts';
import { type AwsTestRun, cancelRequest, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const client = new ElasticBeanstalkClient(UNREACHABLE);
const beanstalk = mockedClient(client);
const NOW = Date.parse('2026-03-02T09:00:00Z');
const provider = awsElasticBeanstalkDeployProvider({ beanstalk: client, now: () => NOW });
const LABEL = versionLabel('7f0c:Build:Legacy:0:1');
let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function ebRun(): Promise<ActionRun> {
  t = await makeAwsRun({
    action: {
      name: 'Legacy',
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ElasticBeanstalk', version: '1' },
      configuration: { ApplicationName: 'legacy', EnvironmentName: 'legacy-prod' },
    },
    inputs: { SourceOutput: { Procfile: 'web: node server.js\n' } },
  });
  return t.run;
}

const environment = (extra: Partial<EnvironmentDescription>) => ({
  Environments: [
    { EnvironmentId: 'e-abc123', EnvironmentName: 'legacy-prod', ApplicationName: 'legacy', ...extra },
  ],
});
const progress = { versionLabel: LABEL, since: '2026-03-02T09:00:00.000Z' };

describe('awsElasticBeanstalkDeployProvider', () => {
  it('creates an application version from the bundle, updates the environment, and polls it to Ready', async () => {
    // Prepare
    beanstalk.on(CreateApplicationVersionCommand).resolves({});
    beanstalk.on(UpdateEnvironmentCommand).resolves({});
    beanstalk
      .on(DescribeEnvironmentsCommand)
      .resolvesOnce(environment({ Status: 'Ready', Health: 'Green', VersionLabel: 'v41' }))
      .resolvesOnce(environment({ Status: 'Updating', Health: 'Grey', VersionLabel: LABEL }))
      .resolves(environment({ Status: 'Ready', Health: 'Green', VersionLabel: LABEL }));
    const run = await ebRun();
    // Act
    const first = await provider.run(run);
    const updating = await provider.run({ ...run, progress });
    const done = await provider.run({ ...run, progress });
    // Assess
    expect(beanstalk.commandCalls(CreateApplicationVersionCommand)[0]?.args[0].input).toEqual({
      ApplicationName: 'legacy',
      VersionLabel: LABEL,
      Description: 'Pipewright web-app 7f0c:Build:Legacy:0:1',
      SourceBundle: { S3Bucket: TEST_BUCKET, S3Key: 'artifacts/sha256/SourceOutput.zip' },
    });
    expect(beanstalk.commandCalls(UpdateEnvironmentCommand)[0]?.args[0].input).toEqual({
      ApplicationName: 'legacy',
      EnvironmentName: 'legacy-prod',
      VersionLabel: LABEL,
    });
    expect(first).toEqual({
      status: 'InProgress',
      state: progress,
      pollAfterSeconds: 20,
      summary: `environment legacy-prod is updating to ${LABEL}`,
      externalExecutionId: 'e-abc123',
    });
    expect(updating).toMatchObject({
      status: 'InProgress',
      summary: 'environment legacy-prod is Updating (health Grey)',
    });
    expect(done).toMatchObject({
      status: 'Succeeded',
      summary: `environment legacy-prod runs ${LABEL} (health Green)`,
    });
  });

  it('fails with the error events when the update rolled back or the health is Red', async () => {
    beanstalk.on(DescribeEventsCommand).resolves({
      Events: [
        { Message: 'Failed to deploy application.', Severity: 'ERROR' },
        { Message: 'npm install failed', Severity: 'ERROR' },
      ],
    });
    beanstalk
      .on(DescribeEnvironmentsCommand)
      .resolves(environment({ Status: 'Ready', Health: 'Green', VersionLabel: 'v41' }));
    const run = await ebRun();
    expect(await provider.run({ ...run, progress })).toEqual({
      status: 'Failed',
      error: {
        type: 'JobFailed',
        message: `environment legacy-prod is Ready on version v41, not ${LABEL}: the update failed and was rolled back\nFailed to deploy application.\nnpm install failed`,
      },
    });
    expect(beanstalk.commandCalls(DescribeEventsCommand)[0]?.args[0].input).toEqual({
      ApplicationName: 'legacy',
      EnvironmentName: 'legacy-prod',
      StartTime: new Date(progress.since),
      Severity: 'ERROR',
      MaxRecords: 5,
    });
    beanstalk
      .on(DescribeEnvironmentsCommand)
      .resolves(environment({ Status: 'Ready', Health: 'Red', VersionLabel: LABEL }));
    expect(await provider.run({ ...run, progress })).toMatchObject({
      status: 'Failed',
      error: { message: expect.stringMatching(/^environment legacy-prod is Ready but its health is Red\n/) },
    });
  });

  it('creates and updates nothing twice when its start is made again', async () => {
    beanstalk.on(CreateApplicationVersionCommand).rejects(
      Object.assign(new Error(`Application Version ${LABEL} already exists.`), {
        name: 'InvalidParameterValue',
      }),
    );
    beanstalk
      .on(DescribeEnvironmentsCommand)
      .resolves(environment({ Status: 'Updating', VersionLabel: LABEL }));
    expect(await provider.run({ ...(await ebRun()), progress: { restart: true } })).toMatchObject({
      status: 'InProgress',
      state: progress,
    });
    expect(beanstalk.commandCalls(UpdateEnvironmentCommand)).toHaveLength(0);
  });

  it('polls again when throttled, fails at once when access is denied, and aborts the update on a stop', async () => {
    const run = await ebRun();
    beanstalk
      .on(DescribeEnvironmentsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    expect(await provider.run({ ...run, progress })).toEqual({
      status: 'InProgress',
      state: { ...progress, transient: 1 },
      pollAfterSeconds: 30,
    });
    beanstalk.on(CreateApplicationVersionCommand).rejects(
      Object.assign(new Error('not authorized to perform: elasticbeanstalk:CreateApplicationVersion'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    expect(await provider.run(run)).toMatchObject({ status: 'Failed', error: { type: 'PermissionError' } });
    beanstalk.on(AbortEnvironmentUpdateCommand).resolves({});
    await provider.cancel?.(cancelRequest(run));
    expect(beanstalk.commandCalls(AbortEnvironmentUpdateCommand)[0]?.args[0].input).toEqual({
      EnvironmentName: 'legacy-prod',
    });
  });
});
