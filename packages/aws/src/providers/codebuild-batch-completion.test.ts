import {
  BatchGetBuildBatchesCommand,
  BatchGetBuildsCommand,
  type BuildBatch,
  type BuildGroup,
  CodeBuildClient,
  type StatusType,
} from '@aws-sdk/client-codebuild';
import type { StoredArtifact } from '@pipewright/engine';
import { describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { codeBuildCompletion } from './codebuild-completion.ts';

const client = new CodeBuildClient(UNREACHABLE);
const codebuild = mockedClient(client);
const BATCH_ARN = 'arn:aws:codebuild:eu-west-1:123456789012:build-batch/app-build:b1';
const BUILD_ARN = 'arn:aws:codebuild:eu-west-1:123456789012:build/app-build:x1';

const identity = [
  ['PIPEWRIGHT_PIPELINE', 'web-app'],
  ['PIPEWRIGHT_EXECUTION_ID', '7f0c'],
  ['PIPEWRIGHT_STAGE', 'Build'],
  ['PIPEWRIGHT_ACTION', 'Compile'],
  ['PIPEWRIGHT_STAGE_ATTEMPT', '0'],
  ['PIPEWRIGHT_ATTEMPT', '1'],
  ['PIPEWRIGHT_ACTION_EXECUTION_ID', '7f0c:Build:Compile:0:1'],
  ['PIPEWRIGHT_PROVIDER', 'Build/CodeBuild'],
].map(([name, value]) => ({ name, value, type: 'PLAINTEXT' }));

const event = {
  source: 'aws.codebuild',
  'detail-type': 'CodeBuild Build State Change',
  detail: {
    'build-status': 'SUCCEEDED',
    'project-name': 'app-build',
    'build-id': BUILD_ARN,
    'additional-information': { environment: { 'environment-variables': identity } },
  },
};

const artifacts = {
  adopted: [] as string[],
  async adopt(name: string, uri: string): Promise<StoredArtifact> {
    this.adopted.push(`${name} ${uri}`);
    return { name, uri, sha256: 'a'.repeat(64), size: 1, files: 1 };
  },
};

function group(identifier: string, buildStatus?: StatusType, ignoreFailure = false): BuildGroup {
  return { identifier, ignoreFailure, ...(buildStatus ? { currentBuildSummary: { buildStatus } } : {}) };
}

function mockBatch(batch: Partial<BuildBatch>) {
  codebuild.on(BatchGetBuildsCommand).resolves({
    builds: [{ id: 'app-build:x1', arn: BUILD_ARN, buildComplete: true, buildBatchArn: BATCH_ARN }],
  });
  codebuild.on(BatchGetBuildBatchesCommand).resolves({ buildBatches: [{ id: 'app-build:b1', ...batch }] });
}

describe('codeBuildCompletion of a batch build', () => {
  it('completes nothing while a group of the batch still runs', async () => {
    mockBatch({ complete: false, buildGroups: [group('a', 'SUCCEEDED'), group('b', 'IN_PROGRESS')] });
    expect(await codeBuildCompletion(event, { codebuild: client, artifacts })).toBeUndefined();
    expect(codebuild.commandCalls(BatchGetBuildBatchesCommand)[0]?.args[0].input).toEqual({
      ids: ['app-build:b1'],
    });
  });

  it('succeeds with the combined artifact once every group has finished', async () => {
    mockBatch({
      complete: false,
      buildGroups: [group('a', 'SUCCEEDED'), group('b', 'FAILED', true)],
      artifacts: { location: 'arn:aws:s3:::pw-artifacts/artifacts/7f0c/7f0c:Build:Compile:0:1/Out.zip' },
    });
    const done = await codeBuildCompletion(event, { codebuild: client, artifacts });
    expect(done?.ref.actionExecutionId).toBe('7f0c:Build:Compile:0:1');
    expect(done?.outcome).toMatchObject({
      status: 'Succeeded',
      outputVariables: {},
      externalExecutionId: 'app-build:b1',
      outputArtifacts: [
        { name: 'Out', uri: 's3://pw-artifacts/artifacts/7f0c/7f0c:Build:Compile:0:1/Out.zip' },
      ],
    });
  });

  it('fails naming the groups that failed', async () => {
    mockBatch({
      complete: true,
      buildBatchStatus: 'FAILED',
      buildGroups: [group('a', 'SUCCEEDED'), group('b', 'FAULT')],
    });
    const done = await codeBuildCompletion(event, { codebuild: client, artifacts });
    expect(done?.outcome).toMatchObject({
      status: 'Failed',
      error: { type: 'JobFailed', message: 'CodeBuild batch build app-build:b1 failed: b (FAULT)' },
    });
  });
});
