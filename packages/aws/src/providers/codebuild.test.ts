import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsCodeBuildProvider } from './codebuild.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const client = new CodeBuildClient(UNREACHABLE);
const codebuild = mockedClient(client);
const options = { codebuild: client, runnerProject: 'pipewright-test-runner', artifactBucket: TEST_BUCKET };

let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const BUILDSPEC = `version: 0.2
env:
  exported-variables: [IMAGE_TAG]
phases:
  build:
    commands:
      - make
artifacts:
  files: ['dist/**/*']
  secondary-artifacts:
    Docs:
      files: ['docs/**/*']
`;

async function codeBuildRun(configuration: Record<string, string>, buildspec = BUILDSPEC) {
  t = await makeAwsRun({
    action: {
      name: 'Compile',
      actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
      configuration,
      outputArtifacts: [{ name: 'Out' }, { name: 'Docs' }],
    },
    inputs: { Src: { 'src.txt': 'src' }, Lib: { 'buildspec.yml': buildspec, 'ci/alt.yml': BUILDSPEC } },
  });
  return t;
}

describe('awsCodeBuildProvider', () => {
  it('runs the primary source’s buildspec on the runner project with typed environment variables', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:c1' } });
    const { run, lines } = await codeBuildRun({
      ProjectName: 'app-build',
      PrimarySource: 'Lib',
      EnvironmentVariables: JSON.stringify([
        { name: 'MODE', value: 'release' },
        { name: 'DB_PASSWORD', value: '/ci/db-password', type: 'PARAMETER_STORE' },
        { name: 'API_KEY', value: 'ci/api-key:key', type: 'SECRETS_MANAGER' },
      ]),
    });
    expect(await awsCodeBuildProvider(options).run(run)).toEqual({
      status: 'Waiting',
      summary: 'CodeBuild build pipewright-test-runner:c1',
    });
    const input = codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input;
    const artifact = {
      type: 'S3',
      location: 'pw-artifacts',
      path: 'artifacts/7f0c/7f0c:Build:Compile:0:1',
      packaging: 'ZIP',
      namespaceType: 'NONE',
      overrideArtifactName: false,
    };
    expect(input).toEqual({
      projectName: 'pipewright-test-runner',
      idempotencyToken: '7f0c:Build:Compile:0:1',
      buildspecOverride: BUILDSPEC,
      sourceTypeOverride: 'S3',
      sourceLocationOverride: 'pw-artifacts/artifacts/sha256/Lib.zip',
      secondarySourcesOverride: [
        { type: 'S3', location: 'pw-artifacts/artifacts/sha256/Src.zip', sourceIdentifier: 'Src' },
      ],
      artifactsOverride: { ...artifact, name: 'Out.zip' },
      secondaryArtifactsOverride: [{ ...artifact, name: 'Docs.zip', artifactIdentifier: 'Docs' }],
      environmentVariablesOverride: [
        { name: 'MODE', value: 'release', type: 'PLAINTEXT' },
        { name: 'DB_PASSWORD', value: '/ci/db-password', type: 'PARAMETER_STORE' },
        { name: 'API_KEY', value: 'ci/api-key:key', type: 'SECRETS_MANAGER' },
        { name: 'PIPEWRIGHT_PIPELINE', value: 'web-app', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_EXECUTION_ID', value: '7f0c', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_STAGE', value: 'Build', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_ACTION', value: 'Compile', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_STAGE_ATTEMPT', value: '0', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_ATTEMPT', value: '1', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_ACTION_EXECUTION_ID', value: '7f0c:Build:Compile:0:1', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_PROVIDER', value: 'Build/CodeBuild', type: 'PLAINTEXT' },
      ],
      timeoutInMinutesOverride: 60,
    });
    expect(lines.map((l) => l.text).join('')).toContain('(project app-build) runs buildspec.yml');
  });

  it('reads BuildspecPath and takes the action’s timeout as the build’s', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:c2' } });
    const { run } = await codeBuildRun(
      { ProjectName: 'app', PrimarySource: 'Lib', BuildspecPath: 'ci/alt.yml' },
      'x',
    );
    run.action.timeoutInMinutes = 90;
    await awsCodeBuildProvider(options).run(run);
    expect(codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input).toMatchObject({
      buildspecOverride: BUILDSPEC,
      timeoutInMinutesOverride: 90,
    });
  });

  it('keeps the project’s buildspec when the source has none and BuildspecPath is not set', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:c3' } });
    const { run } = await codeBuildRun({ ProjectName: 'app' });
    await awsCodeBuildProvider(options).run(run);
    const input = codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('buildspecOverride');
    expect(input?.sourceLocationOverride).toBe('pw-artifacts/artifacts/sha256/Src.zip');
  });

  it('fails clearly for a missing BuildspecPath file, an unknown PrimarySource, batch builds and bad configuration', async () => {
    const { run } = await codeBuildRun({ ProjectName: 'app', BuildspecPath: 'nope.yml' });
    const provider = awsCodeBuildProvider(options);
    expect(await provider.run(run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('no nope.yml in the primary source Src'),
      },
    });
    run.action.configuration = { ProjectName: 'app', PrimarySource: 'Other' };
    expect(await provider.run(run)).toMatchObject({
      error: { message: expect.stringContaining('PrimarySource Other is not one of') },
    });
    run.action.configuration = { ProjectName: 'app', BatchEnabled: 'true' };
    expect(await provider.run(run)).toMatchObject({
      error: { message: expect.stringContaining('BatchEnabled') },
    });
    run.action.configuration = { ProjectName: 'app', EnvironmentVariables: '{"not":"an array"}' };
    expect(await provider.run(run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('configuration.EnvironmentVariables'),
      },
    });
    run.action.configuration = { ProjectName: 'app', BuildspecPath: '../../etc/passwd' };
    expect(await provider.run(run)).toMatchObject({
      error: { message: expect.stringContaining('outside the primary source') },
    });
    expect(codebuild.commandCalls(StartBuildCommand)).toHaveLength(0);
  });
});
