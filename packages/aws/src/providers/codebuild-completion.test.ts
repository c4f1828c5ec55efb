import {
  BatchGetBuildsCommand,
  type Build,
  CodeBuildClient,
  type EnvironmentVariable,
} from '@aws-sdk/client-codebuild';
import type { StoredArtifact } from '@pipewright/engine';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../errors.ts';
import { UNREACHABLE } from '../testing/mocked-client.ts';
import { codeBuildCompletion } from './codebuild-completion.ts';
import { runnerBuildInput } from './runner-build.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const client = new CodeBuildClient(UNREACHABLE);
const codebuild = mockClient(client);
const BUILD_ID = 'pipewright-test-runner:0b1c2d3e-4f5a-6789-abcd-ef0123456789';
const BUILD_ARN = `arn:aws:codebuild:eu-west-1:123456789012:build/${BUILD_ID}`;
const CONSOLE = `https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/pipewright-test-runner/build/pipewright-test-runner%3A0b1c2d3e-4f5a-6789-abcd-ef0123456789/?region=eu-west-1`;
const PREFIX = 'pw-artifacts/artifacts/7f0c/7f0c:Build:Test:1:2';

/** An adopter that records what it adopts (the S3 artifact store's `adopt` has its own tests). */
function recordingAdopter() {
  const calls: [string, string][] = [];
  return {
    calls,
    async adopt(name: string, uri: string): Promise<StoredArtifact> {
      calls.push([name, uri]);
      return { name, uri, sha256: `sha-${name}`, size: 10, files: 2 };
    },
  };
}

let t: AwsTestRun;
let environment: EnvironmentVariable[];
beforeAll(async () => {
  t = await makeAwsRun({
    action: { name: 'Test', commands: ['true'], outputArtifacts: [{ name: 'Out' }, { name: 'Docs' }] },
    variables: { 'variables.ENV': 'prod' },
  });
  t.run.stageAttempt = 1;
  t.run.attempt = 2;
  t.run.actionExecutionId = '7f0c:Build:Test:1:2';
  const input = runnerBuildInput(
    t.run,
    { runnerProject: 'pipewright-test-runner', artifactBucket: TEST_BUCKET },
    {
      buildspec: '{}',
      environment: [{ name: 'PW_variables_ENV', value: 'prod', type: 'PLAINTEXT' }],
    },
  );
  environment = input.environmentVariablesOverride ?? [];
});
afterEach(() => codebuild.reset());
afterAll(async () => {
  codebuild.restore();
  client.destroy();
  await t.cleanup();
});

function event(status: string, variables: EnvironmentVariable[] = environment) {
  return {
    version: '0',
    id: 'e1',
    'detail-type': 'CodeBuild Build State Change',
    source: 'aws.codebuild',
    account: '123456789012',
    region: 'eu-west-1',
    detail: {
      'build-status': status,
      'project-name': 'pipewright-test-runner',
      'build-id': BUILD_ARN,
      'additional-information': {
        'build-complete': status !== 'IN_PROGRESS',
        environment: { 'environment-variables': variables },
        logs: { 'deep-link': 'https://console.aws.amazon.com/cloudwatch/home#logEvent:group=x' },
      },
      'current-phase': 'COMPLETED',
      version: '1',
    },
  };
}

const ref = {
  stageName: 'Build',
  actionName: 'Test',
  stageAttempt: 1,
  attempt: 2,
  actionExecutionId: '7f0c:Build:Test:1:2',
};

const succeededBuild: Build = {
  id: BUILD_ID,
  arn: BUILD_ARN,
  buildStatus: 'SUCCEEDED',
  buildComplete: true,
  exportedEnvironmentVariables: [
    { name: 'VERSION', value: '1.4.2' },
    { name: 'EMPTY', value: '' },
  ],
  artifacts: { location: `arn:aws:s3:::${PREFIX}/Out.zip` },
  secondaryArtifacts: [{ artifactIdentifier: 'Docs', location: `arn:aws:s3:::${PREFIX}/Docs.zip` }],
};

describe('codeBuildCompletion', () => {
  it('completes a succeeded build: exported variables, adopted artifacts, build id and console link', async () => {
    codebuild.on(BatchGetBuildsCommand, { ids: [BUILD_ID] }).resolves({ builds: [succeededBuild] });
    const artifacts = recordingAdopter();
    const done = await codeBuildCompletion(event('SUCCEEDED'), { codebuild: client, artifacts });
    expect(done).toEqual({
      pipeline: 'web-app',
      executionId: '7f0c',
      ref,
      outcome: {
        status: 'Succeeded',
        outputArtifacts: [
          { name: 'Out', uri: `s3://${PREFIX}/Out.zip`, sha256: 'sha-Out', size: 10, files: 2 },
          { name: 'Docs', uri: `s3://${PREFIX}/Docs.zip`, sha256: 'sha-Docs', size: 10, files: 2 },
        ],
        outputVariables: { VERSION: '1.4.2', EMPTY: '' },
        summary: `CodeBuild build ${BUILD_ID} succeeded`,
        externalExecutionId: BUILD_ID,
        externalExecutionUrl: CONSOLE,
      },
    });
    expect(artifacts.calls).toEqual([
      ['Out', `s3://${PREFIX}/Out.zip`],
      ['Docs', `s3://${PREFIX}/Docs.zip`],
    ]);
    expect(codebuild.commandCalls(BatchGetBuildsCommand)).toHaveLength(1);
  });

  it('gives a duplicate delivery of the same event the same completion', async () => {
    codebuild.on(BatchGetBuildsCommand).resolves({ builds: [succeededBuild] });
    const deps = { codebuild: client, artifacts: recordingAdopter() };
    const first = await codeBuildCompletion(event('SUCCEEDED'), deps);
    const second = await codeBuildCompletion(event('SUCCEEDED'), deps);
    expect(second).toEqual(first);
    expect(first?.outcome.status).toBe('Succeeded');
  });

  it('completes a source build with CodePipeline’s variables and a commit summary', async () => {
    const source = environment.map((v) =>
      v.name === 'PIPEWRIGHT_PROVIDER' ? { ...v, value: 'Source/CodeStarSourceConnection' } : v,
    );
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        {
          ...succeededBuild,
          resolvedSourceVersion: '4f2a9c0e1b2d3f4a5b6c7d8e9f0a1b2c3d4e5f6a',
          exportedEnvironmentVariables: [
            { name: 'BranchName', value: 'main' },
            { name: 'CommitMessage', value: 'Fix the header\n\nLonger text' },
            { name: 'FullRepositoryName', value: 'acme/web' },
          ],
          secondaryArtifacts: [],
        },
      ],
    });
    const done = await codeBuildCompletion(event('SUCCEEDED', source), {
      codebuild: client,
      artifacts: recordingAdopter(),
    });
    expect(done?.outcome).toMatchObject({
      status: 'Succeeded',
      outputVariables: {
        BranchName: 'main',
        CommitId: '4f2a9c0e1b2d3f4a5b6c7d8e9f0a1b2c3d4e5f6a',
        CommitMessage: 'Fix the header\n\nLonger text',
        FullRepositoryName: 'acme/web',
      },
      summary: 'main @ 4f2a9c0: Fix the header',
    });
  });

  it('fails a failed build naming the phase, CodeBuild’s reason and the logs', async () => {
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        {
          id: BUILD_ID,
          arn: BUILD_ARN,
          buildStatus: 'FAILED',
          buildComplete: true,
          phases: [
            { phaseType: 'SUBMITTED', phaseStatus: 'SUCCEEDED' },
            { phaseType: 'INSTALL', phaseStatus: 'SUCCEEDED' },
            {
              phaseType: 'BUILD',
              phaseStatus: 'FAILED',
              contexts: [
                {
                  statusCode: 'COMMAND_EXECUTION_ERROR',
                  message: 'Error while executing command: make test. Reason: exit status 2',
                },
              ],
            },
            { phaseType: 'POST_BUILD', phaseStatus: 'SUCCEEDED' },
            { phaseType: 'COMPLETED' },
          ],
          logs: {
            deepLink: 'https://console.aws.amazon.com/cloudwatch/home#logEvent:group=/aws/codebuild/x',
          },
          artifacts: { location: `arn:aws:s3:::${PREFIX}/Out.zip` },
        },
      ],
    });
    const artifacts = recordingAdopter();
    const done = await codeBuildCompletion(event('FAILED'), { codebuild: client, artifacts });
    expect(done).toEqual({
      pipeline: 'web-app',
      executionId: '7f0c',
      ref,
      outcome: {
        status: 'Failed',
        error: {
          type: 'JobFailed',
          message:
            `CodeBuild build ${BUILD_ID} failed in phase BUILD: Error while executing command: make test. Reason: exit status 2\n` +
            'logs: https://console.aws.amazon.com/cloudwatch/home#logEvent:group=/aws/codebuild/x',
        },
        externalExecutionId: BUILD_ID,
        externalExecutionUrl: CONSOLE,
      },
    });
    expect(artifacts.calls).toEqual([]);
  });

  it('fails a stopped or timed-out build, saying so', async () => {
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        {
          id: BUILD_ID,
          arn: BUILD_ARN,
          buildComplete: true,
          phases: [{ phaseType: 'BUILD', phaseStatus: 'STOPPED' }],
        },
      ],
    });
    const stopped = await codeBuildCompletion(event('STOPPED'), {
      codebuild: client,
      artifacts: recordingAdopter(),
    });
    expect(stopped?.outcome).toMatchObject({
      status: 'Failed',
      error: {
        type: 'JobFailed',
        message: expect.stringMatching(/^CodeBuild build \S+ was stopped in phase BUILD\nlogs: /),
      },
    });
    const timedOut = await codeBuildCompletion(event('TIMED_OUT'), {
      codebuild: client,
      artifacts: recordingAdopter(),
    });
    expect(timedOut?.outcome).toMatchObject({
      error: { message: expect.stringContaining('timed out in phase BUILD') },
    });
  });

  it('ignores builds still running, builds that are not Pipewright’s and events that are not CodeBuild’s', async () => {
    const deps = { codebuild: client, artifacts: recordingAdopter() };
    expect(await codeBuildCompletion(event('IN_PROGRESS'), deps)).toBeUndefined();
    const foreign: EnvironmentVariable[] = [{ name: 'NODE_ENV', value: 'production', type: 'PLAINTEXT' }];
    expect(await codeBuildCompletion(event('SUCCEEDED', foreign), deps)).toBeUndefined();
    expect(
      await codeBuildCompletion({ ...event('SUCCEEDED'), source: 'aws.codepipeline' }, deps),
    ).toBeUndefined();
    expect(
      await codeBuildCompletion(
        { ...event('SUCCEEDED'), 'detail-type': 'CodeBuild Build Phase Change' },
        deps,
      ),
    ).toBeUndefined();
    for (const junk of [null, 'event', 42, [], { source: 'aws.codebuild' }]) {
      expect(await codeBuildCompletion(junk, deps)).toBeUndefined();
    }
    expect(codebuild.commandCalls(BatchGetBuildsCommand)).toHaveLength(0);
  });

  it('throws PW6401 for a Pipewright event with a broken identity and PW6402 (retryable) while the build is not visible', async () => {
    const deps = { codebuild: client, artifacts: recordingAdopter() };
    const broken = environment.map((v) => (v.name === 'PIPEWRIGHT_ATTEMPT' ? { ...v, value: '0' } : v));
    await expect(codeBuildCompletion(event('SUCCEEDED', broken), deps)).rejects.toMatchObject({
      code: 'PW6401',
      message: expect.stringContaining('PIPEWRIGHT_ATTEMPT="0"'),
    });
    const partial = environment.filter((v) => v.name !== 'PIPEWRIGHT_STAGE');
    await expect(codeBuildCompletion(event('FAILED', partial), deps)).rejects.toBeInstanceOf(AwsAdapterError);
    codebuild.on(BatchGetBuildsCommand).resolves({ builds: [], buildsNotFound: [BUILD_ARN] });
    const error = await codeBuildCompletion(event('SUCCEEDED'), deps).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PW6402', retryable: true });
  });
});
