import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { parseBuildspec } from '@pipewright/providers';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsCommandsProvider } from './commands.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const client = new CodeBuildClient(UNREACHABLE);
const codebuild = mockedClient(client);
const KMS = 'arn:aws:kms:us-east-1:123456789012:key/1111-2222';
const options = { codebuild: client, runnerProject: 'pipewright-test-runner', artifactBucket: TEST_BUCKET };

let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, as the provider writes it
const ECHO_MESSAGE = 'echo "${PW_SourceVariables_CommitMessage}"';
const HOSTILE = 'fix: "quote" $(touch /tmp/pwned) `id` \'single\'';

async function commandsRun() {
  t = await makeAwsRun({
    action: {
      name: 'Test',
      commands: ['echo "#{SourceVariables.CommitMessage}"', "make '#{variables.ENV}'"],
      outputVariables: ['VERSION'],
      outputArtifacts: [{ name: 'Out', files: ['dist/**/*'] }],
      environmentVariables: [
        { name: 'STAGE', value: 'env-#{variables.ENV}', type: 'PLAINTEXT' },
        { name: 'NPM_TOKEN', value: 'ci/npm-token', type: 'SECRETS_MANAGER' },
      ],
    },
    inputs: { Src: { Makefile: 'all:' }, Lib: { 'lib.txt': 'lib' } },
    variables: {
      'SourceVariables.CommitMessage': HOSTILE,
      'variables.ENV': 'prod',
      'codepipeline.PipelineExecutionId': '7f0c',
    },
  });
  t.run.stageAttempt = 2;
  t.run.attempt = 3;
  t.run.actionExecutionId = '7f0c:Build:Test:2:3';
  return t;
}

describe('awsCommandsProvider', () => {
  it('starts one build on the runner project with the exact StartBuild request and waits', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:b1' } });
    const { run, lines } = await commandsRun();
    const outcome = await awsCommandsProvider({ ...options, kmsKeyArn: KMS }).run(run);
    expect(outcome).toEqual({ status: 'Waiting', summary: 'CodeBuild build pipewright-test-runner:b1' });
    expect(lines.map((l) => l.text).join('')).toContain('started CodeBuild build pipewright-test-runner:b1');
    const calls = codebuild.commandCalls(StartBuildCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    const { buildspecOverride, ...rest } = input ?? {};
    expect(rest).toEqual({
      projectName: 'pipewright-test-runner',
      idempotencyToken: '7f0c:Build:Test:2:3',
      sourceTypeOverride: 'S3',
      sourceLocationOverride: 'pw-artifacts/artifacts/sha256/Src.zip',
      secondarySourcesOverride: [
        { type: 'S3', location: 'pw-artifacts/artifacts/sha256/Lib.zip', sourceIdentifier: 'Lib' },
      ],
      artifactsOverride: {
        type: 'S3',
        location: 'pw-artifacts',
        path: 'artifacts/7f0c/7f0c:Build:Test:2:3',
        name: 'Out.zip',
        packaging: 'ZIP',
        namespaceType: 'NONE',
        overrideArtifactName: false,
      },
      environmentVariablesOverride: [
        { name: 'PW_SourceVariables_CommitMessage', value: HOSTILE, type: 'PLAINTEXT' },
        { name: 'PW_codepipeline_PipelineExecutionId', value: '7f0c', type: 'PLAINTEXT' },
        { name: 'PW_variables_ENV', value: 'prod', type: 'PLAINTEXT' },
        { name: 'STAGE', value: 'env-prod', type: 'PLAINTEXT' },
        { name: 'NPM_TOKEN', value: 'ci/npm-token', type: 'SECRETS_MANAGER' },
        { name: 'PIPEWRIGHT_PIPELINE', value: 'web-app', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_EXECUTION_ID', value: '7f0c', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_STAGE', value: 'Build', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_ACTION', value: 'Test', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_STAGE_ATTEMPT', value: '2', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_ATTEMPT', value: '3', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_ACTION_EXECUTION_ID', value: '7f0c:Build:Test:2:3', type: 'PLAINTEXT' },
        { name: 'PIPEWRIGHT_PROVIDER', value: 'Build/Commands', type: 'PLAINTEXT' },
      ],
      timeoutInMinutesOverride: 60,
      encryptionKeyOverride: KMS,
    });
    expect(JSON.parse(buildspecOverride ?? '')).toEqual({
      version: '0.2',
      env: { shell: 'bash', 'exported-variables': ['VERSION'] },
      phases: {
        build: {
          commands: [ECHO_MESSAGE, `make ''"\${PW_variables_ENV}"''`],
        },
      },
      artifacts: { files: ['dist/**/*'] },
    });
  });

  it('never puts a variable value into the buildspec, which CodeBuild reads as YAML', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:b2' } });
    const { run } = await commandsRun();
    await awsCommandsProvider(options).run(run);
    const text = codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input.buildspecOverride ?? '';
    expect(text).not.toContain('touch /tmp/pwned');
    expect(text).not.toContain('prod');
    const spec = parseBuildspec(text, 'buildspecOverride');
    expect(spec.phases.build?.commands).toEqual([ECHO_MESSAGE, `make ''"\${PW_variables_ENV}"''`]);
    expect(spec.exportedVariables).toEqual(['VERSION']);
    expect(spec.artifacts?.files).toEqual(['dist/**/*']);
  });

  it('gives a duplicate delivery the same request, so CodeBuild starts one build for both', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:b3' } });
    const { run } = await commandsRun();
    const provider = awsCommandsProvider(options);
    await provider.run(run);
    await provider.run(run);
    const [first, second] = codebuild.commandCalls(StartBuildCommand).map((c) => c.args[0].input);
    expect(second).toEqual(first);
    expect(first?.idempotencyToken).toBe(run.actionExecutionId);
  });

  it('builds without inputs or outputs as NO_SOURCE and NO_ARTIFACTS and without exported variables', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:b4' } });
    t = await makeAwsRun({ action: { commands: ['date'] } });
    await awsCommandsProvider(options).run(t.run);
    const input = codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      sourceTypeOverride: 'NO_SOURCE',
      artifactsOverride: { type: 'NO_ARTIFACTS' },
    });
    expect(input).not.toHaveProperty('sourceLocationOverride');
    expect(input).not.toHaveProperty('secondarySourcesOverride');
    expect(input).not.toHaveProperty('secondaryArtifactsOverride');
    expect(input).not.toHaveProperty('encryptionKeyOverride');
    expect(JSON.parse(input?.buildspecOverride ?? '')).toEqual({
      version: '0.2',
      env: { shell: 'bash' },
      phases: { build: { commands: ['date'] } },
    });
  });

  it('fails with a ConfigurationError, starting nothing, for an unknown reference or a reserved variable name', async () => {
    t = await makeAwsRun({ action: { commands: ['echo #{Nope.X}'] } });
    expect(await awsCommandsProvider(options).run(t.run)).toEqual({
      status: 'Failed',
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('commands[0] references #{Nope.X}'),
      },
    });
    t.run.action.commands = ['true'];
    t.run.action.environmentVariables = [{ name: 'PIPEWRIGHT_STAGE', value: 'x', type: 'PLAINTEXT' }];
    expect(await awsCommandsProvider(options).run(t.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('reserved prefix') },
    });
    t.run.action.environmentVariables = [{ name: 'A', value: '#{Missing.Var}', type: 'PLAINTEXT' }];
    expect(await awsCommandsProvider(options).run(t.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('environmentVariables[0] (A)') },
    });
    expect(codebuild.commandCalls(StartBuildCommand)).toHaveLength(0);
  });

  it('fails when an input artifact is not in S3 or cannot name a secondary source', async () => {
    t = await makeAwsRun({ action: { commands: ['true'] }, inputs: { Src: {}, 'my-lib': {} } });
    expect(await awsCommandsProvider(options).run(t.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('input artifact "my-lib"') },
    });
    const first = t.run.inputs[0];
    if (first) first.artifact.uri = 'pipewright-artifact:sha256/abc';
    t.run.inputs = t.run.inputs.slice(0, 1);
    expect(await awsCommandsProvider(options).run(t.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('not in S3') },
    });
  });

  it('maps a denied StartBuild to a PermissionError and a missing project to a ConfigurationError', async () => {
    t = await makeAwsRun({ action: { commands: ['true'] } });
    codebuild
      .on(StartBuildCommand)
      .rejectsOnce(
        Object.assign(new Error('not authorized to perform codebuild:StartBuild'), {
          name: 'AccessDeniedException',
        }),
      )
      .rejectsOnce(
        Object.assign(new Error('Project cannot be found'), { name: 'ResourceNotFoundException' }),
      );
    expect(await awsCommandsProvider(options).run(t.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'PermissionError', message: expect.stringContaining('codebuild:StartBuild') },
    });
    expect(await awsCommandsProvider(options).run(t.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'ConfigurationError', message: expect.stringContaining('runner project exists') },
    });
  });
});
