import { CodeBuildClient, StartBuildBatchCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { afterEach, describe, expect, it } from 'vitest';
import { awsError, mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsCodeBuildProvider } from './codebuild.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const client = new CodeBuildClient(UNREACHABLE);
const codebuild = mockedClient(client);
const options = { codebuild: client, artifactBucket: TEST_BUCKET, retry: { delayMs: () => 0 } };

let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function codeBuildRun(configuration: Record<string, string>) {
  t = await makeAwsRun({
    action: {
      name: 'Compile',
      actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
      configuration,
      outputArtifacts: [{ name: 'Out' }, { name: 'Docs' }],
    },
    inputs: { Src: { 'src.txt': 'src' }, Lib: { 'buildspec.yml': 'version: 0.2' } },
  });
  return t;
}

const artifact = {
  type: 'S3',
  location: 'pw-artifacts',
  path: 'artifacts/7f0c/7f0c:Build:Compile:0:1',
  packaging: 'ZIP',
  namespaceType: 'NONE',
  overrideArtifactName: false,
};
const identity = [
  { name: 'PIPEWRIGHT_PIPELINE', value: 'web-app', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_EXECUTION_ID', value: '7f0c', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_STAGE', value: 'Build', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_ACTION', value: 'Compile', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_STAGE_ATTEMPT', value: '0', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_ATTEMPT', value: '1', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_ACTION_EXECUTION_ID', value: '7f0c:Build:Compile:0:1', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_PROVIDER', value: 'Build/CodeBuild', type: 'PLAINTEXT' },
];

describe('awsCodeBuildProvider', () => {
  it('starts a build of the named project with the inputs as sources, the outputs as artifacts and typed variables', async () => {
    // Prepare
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'app-build:c1' } });
    const { run, lines } = await codeBuildRun({
      ProjectName: 'app-build',
      PrimarySource: 'Lib',
      EnvironmentVariables: JSON.stringify([
        { name: 'MODE', value: 'release' },
        { name: 'DB_PASSWORD', value: '/ci/db-password', type: 'PARAMETER_STORE' },
        { name: 'API_KEY', value: 'ci/api-key:key', type: 'SECRETS_MANAGER' },
      ]),
    });
    // Act
    const outcome = await awsCodeBuildProvider({
      ...options,
      kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/k',
    }).run(run);
    // Assess
    expect(outcome).toEqual({ status: 'Waiting', summary: 'CodeBuild build app-build:c1' });
    expect(codebuild.calls()).toHaveLength(1);
    expect(codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input).toEqual({
      projectName: 'app-build',
      idempotencyToken: '7f0c:Build:Compile:0:1',
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
        ...identity,
      ],
      encryptionKeyOverride: 'arn:aws:kms:us-east-1:1:key/k',
    });
    expect(lines.map((l) => l.text).join('')).toContain(
      'started CodeBuild build app-build:c1 of project app-build',
    );
  });

  it('starts a batch build when BatchEnabled, with BuildspecPath and the declared timeout', async () => {
    codebuild.on(StartBuildBatchCommand).resolves({ buildBatch: { id: 'app-build:b1' } });
    const { run } = await codeBuildRun({
      ProjectName: 'app-build',
      BatchEnabled: 'true',
      BuildspecPath: 'ci/b.yml',
    });
    run.action.timeoutInMinutes = 90;
    expect(await awsCodeBuildProvider(options).run(run)).toEqual({
      status: 'Waiting',
      summary: 'CodeBuild batch build app-build:b1',
    });
    expect(codebuild.commandCalls(StartBuildCommand)).toHaveLength(0);
    const input = codebuild.commandCalls(StartBuildBatchCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      projectName: 'app-build',
      idempotencyToken: '7f0c:Build:Compile:0:1',
      buildspecOverride: 'ci/b.yml',
      buildTimeoutInMinutesOverride: 90,
      sourceLocationOverride: 'pw-artifacts/artifacts/sha256/Src.zip',
    });
    expect(input).not.toHaveProperty('timeoutInMinutesOverride');
  });

  it('keeps the project’s buildspec and timeout unless the action overrides them', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'app:c3' } });
    const { run } = await codeBuildRun({ ProjectName: 'app' });
    await awsCodeBuildProvider(options).run(run);
    const input = codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('buildspecOverride');
    expect(input).not.toHaveProperty('timeoutInMinutesOverride');
  });

  it('retries throttling with the same idempotency token, so a duplicate starts nothing twice', async () => {
    codebuild
      .on(StartBuildCommand)
      .rejectsOnce(awsError('ThrottlingException', 400))
      .resolves({ build: { id: 'app:c4' } });
    const { run } = await codeBuildRun({ ProjectName: 'app' });
    const provider = awsCodeBuildProvider(options);
    expect(await provider.run(run)).toMatchObject({ status: 'Waiting' });
    // A duplicate delivery of the same attempt sends the same token: CodeBuild answers with the same build.
    expect(await provider.run(run)).toMatchObject({ status: 'Waiting', summary: 'CodeBuild build app:c4' });
    const tokens = codebuild.commandCalls(StartBuildCommand).map((c) => c.args[0].input.idempotencyToken);
    expect(tokens).toEqual(['7f0c:Build:Compile:0:1', '7f0c:Build:Compile:0:1', '7f0c:Build:Compile:0:1']);
  });

  it('fails at once on access denied (terminal) and after the retries on persistent throttling', async () => {
    codebuild.on(StartBuildCommand).rejects(awsError('AccessDeniedException', 400));
    const { run } = await codeBuildRun({ ProjectName: 'app' });
    expect(await awsCodeBuildProvider(options).run(run)).toMatchObject({
      status: 'Failed',
      error: { type: 'PermissionError', message: expect.stringContaining('CodeBuild project app') },
    });
    expect(codebuild.commandCalls(StartBuildCommand)).toHaveLength(1);
    codebuild.reset();
    codebuild.on(StartBuildCommand).rejects(awsError('ThrottlingException', 400));
    expect(
      await awsCodeBuildProvider({ ...options, retry: { attempts: 3, delayMs: () => 0 } }).run(run),
    ).toMatchObject({
      status: 'Failed',
      error: { type: 'SystemUnavailable' },
    });
    expect(codebuild.commandCalls(StartBuildCommand)).toHaveLength(3);
  });

  it('fails clearly for an unknown project, an unknown PrimarySource and bad configuration', async () => {
    codebuild.on(StartBuildCommand).rejects(awsError('ResourceNotFoundException', 400));
    const { run } = await codeBuildRun({ ProjectName: 'nope' });
    const provider = awsCodeBuildProvider(options);
    expect(await provider.run(run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('check that the project exists'),
      },
    });
    codebuild.reset();
    run.action.configuration = { ProjectName: 'app', PrimarySource: 'Other' };
    expect(await provider.run(run)).toMatchObject({
      error: { message: expect.stringContaining('PrimarySource Other is not one of') },
    });
    run.action.configuration = { ProjectName: 'app', EnvironmentVariables: '{"not":"an array"}' };
    expect(await provider.run(run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('configuration.EnvironmentVariables'),
      },
    });
    expect(codebuild.calls()).toHaveLength(0);
  });
});
