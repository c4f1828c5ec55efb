import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { PROVIDERS } from '@pipewright/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { UNREACHABLE } from '../testing/mocked-client.ts';
import { awsProviders } from './aws-providers.ts';
import { makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const config = UNREACHABLE;
const codebuild = new CodeBuildClient(config);
const mocked = mockClient(codebuild);
const clients = {
  codebuild,
  lambda: new LambdaClient(config),
  cloudformation: new CloudFormationClient(config),
  s3: new S3Client(config),
  ecr: new ECRClient(config),
};
afterAll(() => {
  mocked.restore();
  for (const client of Object.values(clients)) client.destroy();
});

const options = { ...clients, runnerProject: 'pipewright-test-runner', artifactBucket: TEST_BUCKET };

describe('awsProviders', () => {
  it('carries out every provider core knows, each exactly once', () => {
    const providers = awsProviders(options);
    for (const spec of PROVIDERS) {
      const matching = providers.filter(
        (p) => p.provider === spec.provider && p.categories.includes(spec.category),
      );
      expect(matching, `${spec.category}/${spec.provider}`).toHaveLength(1);
    }
  });

  it('runs Source, Commands and CodeBuild actions on the runner project and approvals wait', async () => {
    mocked.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:p1' } });
    const providers = awsProviders({ ...options, kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/k' });
    const t = await makeAwsRun({ action: { commands: ['true'] } });
    const commands = providers.find((p) => p.provider === 'Commands');
    expect(await commands?.run(t.run)).toEqual({
      status: 'Waiting',
      summary: 'CodeBuild build pipewright-test-runner:p1',
    });
    expect(mocked.commandCalls(StartBuildCommand)[0]?.args[0].input).toMatchObject({
      projectName: 'pipewright-test-runner',
      encryptionKeyOverride: 'arn:aws:kms:us-east-1:1:key/k',
    });
    t.run.action = {
      ...t.run.action,
      actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
    };
    const manual = providers.find((p) => p.provider === 'Manual');
    expect(await manual?.run(t.run)).toMatchObject({ status: 'Waiting' });
    await t.cleanup();
  });

  it('fails the providers it does not carry out in AWS with a clear configuration error', async () => {
    const eks = awsProviders(options).find((p) => p.provider === 'EKS');
    const t = await makeAwsRun({
      action: {
        name: 'Roll',
        actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'EKS', version: '1' },
      },
    });
    expect(await eks?.run(t.run)).toEqual({
      status: 'Failed',
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining(
          'Deploy/EKS action "Roll" is not supported by Pipewright in AWS yet',
        ),
      },
    });
    await t.cleanup();
  });

  it('refuses an empty runner project or artifact bucket with PW6403', () => {
    expect(() => awsProviders({ ...options, runnerProject: ' ' })).toThrow(
      expect.objectContaining({ code: 'PW6403' }),
    );
    expect(() => awsProviders({ ...options, artifactBucket: '' })).toThrow(/artifactBucket/);
  });
});
