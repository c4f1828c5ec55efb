import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CodeBuildClient, type EnvironmentVariable, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { GIT_SOURCE_VARIABLES } from '@pipewright/core';
import { parseBuildspec } from '@pipewright/providers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsSourceProvider } from './git-source.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const run$ = promisify(execFile);
const client = new CodeBuildClient(UNREACHABLE);
const codebuild = mockedClient(client);
const options = { codebuild: client, runnerProject: 'pipewright-test-runner', artifactBucket: TEST_BUCKET };

/** A branch name that is valid for git and would run a command if it were ever spliced into shell text. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: shell text in a branch name, never to be evaluated
const HOSTILE_BRANCH = 'feat/x$(touch${IFS}pwned)';

let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function sourceRun(provider: string, configuration: Record<string, string>, owner = 'AWS') {
  t = await makeAwsRun({
    action: {
      name: 'Checkout',
      actionTypeId: { category: 'Source', owner: owner as 'AWS', provider, version: '1' },
      configuration,
      outputArtifacts: [{ name: 'SourceArtifact' }],
      namespace: 'SourceVariables',
    },
  });
  t.run.stage = 'Source';
  t.run.actionExecutionId = '7f0c:Source:Checkout:0:1';
  return t;
}

async function startedBuild(provider: string, configuration: Record<string, string>, owner?: string) {
  codebuild.on(StartBuildCommand).resolves({ build: { id: 'pipewright-test-runner:s1' } });
  const { run } = await sourceRun(provider, configuration, owner);
  const outcome = await awsSourceProvider(provider as 'Git', options).run(run);
  expect(outcome).toEqual({ status: 'Waiting', summary: 'CodeBuild build pipewright-test-runner:s1' });
  const input = codebuild.commandCalls(StartBuildCommand)[0]?.args[0].input;
  if (!input) throw new Error('no StartBuild');
  return input;
}

const identity = (provider: string) => [
  { name: 'PIPEWRIGHT_PIPELINE', value: 'web-app', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_EXECUTION_ID', value: '7f0c', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_STAGE', value: 'Source', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_ACTION', value: 'Checkout', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_STAGE_ATTEMPT', value: '0', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_ATTEMPT', value: '1', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_ACTION_EXECUTION_ID', value: '7f0c:Source:Checkout:0:1', type: 'PLAINTEXT' },
  { name: 'PIPEWRIGHT_PROVIDER', value: `Source/${provider}`, type: 'PLAINTEXT' },
];

describe('awsSourceProvider: the StartBuild request', () => {
  it('CodeCommit: clones over HTTPS with CodeBuild’s credential helper, from fixed commands', async () => {
    const input = await startedBuild('CodeCommit', { RepositoryName: 'web-app', BranchName: HOSTILE_BRANCH });
    const { buildspecOverride, ...rest } = input;
    expect(rest).toEqual({
      projectName: 'pipewright-test-runner',
      idempotencyToken: '7f0c:Source:Checkout:0:1',
      sourceTypeOverride: 'NO_SOURCE',
      artifactsOverride: {
        type: 'S3',
        location: 'pw-artifacts',
        path: 'artifacts/7f0c/7f0c:Source:Checkout:0:1',
        name: 'SourceArtifact.zip',
        packaging: 'ZIP',
        namespaceType: 'NONE',
        overrideArtifactName: false,
      },
      environmentVariablesOverride: [
        { name: 'RepositoryName', value: 'web-app', type: 'PLAINTEXT' },
        {
          name: 'PW_REPOSITORY_URL',
          value: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/web-app',
          type: 'PLAINTEXT',
        },
        { name: 'PW_BRANCH', value: HOSTILE_BRANCH, type: 'PLAINTEXT' },
        { name: 'BranchName', value: HOSTILE_BRANCH, type: 'PLAINTEXT' },
        ...identity('CodeCommit'),
      ],
      timeoutInMinutesOverride: 60,
    });
    expect(JSON.parse(buildspecOverride ?? '')).toEqual({
      version: '0.2',
      env: { shell: 'bash', 'git-credential-helper': 'yes', 'exported-variables': [...GIT_SOURCE_VARIABLES] },
      phases: {
        build: {
          commands: [
            'git clone --quiet --depth 1 --branch "$PW_BRANCH" -- "$PW_REPOSITORY_URL" src',
            'cd src',
            'export AuthorDate="$(git log -1 --format=%aI)"',
            'export CommitId="$(git rev-parse HEAD)"',
            'export CommitMessage="$(git log -1 --format=%B)"',
            'export CommitterDate="$(git log -1 --format=%cI)"',
          ],
        },
      },
      artifacts: { 'base-directory': 'src', files: ['**/*'], 'exclude-paths': ['.git/**/*'] },
    });
    expect(buildspecOverride).not.toContain('feat/x');
    expect(buildspecOverride).not.toContain('web-app');
    expect(parseBuildspec(buildspecOverride ?? '', 'source').exportedVariables).toEqual([
      ...GIT_SOURCE_VARIABLES,
    ]);
  });

  it('Git: a pinned CommitId is checked out from $PW_SOURCE_REVISION; CODEBUILD_CLONE_REF keeps .git', async () => {
    const input = await startedBuild('Git', {
      RepositoryUrl: 'https://git.example.com/team/web-app.git',
      BranchName: 'main',
      CommitId: 'a1b2c3d4',
      OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
    });
    expect(input.environmentVariablesOverride?.slice(0, 4)).toEqual([
      { name: 'RepositoryName', value: 'web-app', type: 'PLAINTEXT' },
      { name: 'PW_REPOSITORY_URL', value: 'https://git.example.com/team/web-app.git', type: 'PLAINTEXT' },
      { name: 'PW_BRANCH', value: 'main', type: 'PLAINTEXT' },
      { name: 'BranchName', value: 'main', type: 'PLAINTEXT' },
    ]);
    expect(input.environmentVariablesOverride?.[4]).toEqual({
      name: 'PW_SOURCE_REVISION',
      value: 'a1b2c3d4',
      type: 'PLAINTEXT',
    });
    const spec = JSON.parse(input.buildspecOverride ?? '');
    expect(spec.phases.build.commands.slice(0, 3)).toEqual([
      'git clone --quiet --no-checkout -- "$PW_REPOSITORY_URL" src',
      'git -C src checkout --quiet --detach "$PW_SOURCE_REVISION"',
      'cd src',
    ]);
    expect(spec.artifacts).toEqual({ 'base-directory': 'src', files: ['**/*'] });
  });

  it('GitHub: the OAuth token is a secret reference CodeBuild resolves, read by a credential helper', async () => {
    const input = await startedBuild(
      'GitHub',
      {
        Owner: 'acme',
        Repo: 'web',
        Branch: 'main',
        OAuthToken: '{{resolve:secretsmanager:ci/github:SecretString:token}}',
      },
      'ThirdParty',
    );
    expect(input.environmentVariablesOverride?.slice(0, 6)).toEqual([
      { name: 'PW_GIT_TOKEN', value: 'ci/github:token', type: 'SECRETS_MANAGER' },
      { name: 'PW_COMMIT_URL_BASE', value: 'https://github.com/acme/web/commit/', type: 'PLAINTEXT' },
      { name: 'RepositoryName', value: 'web', type: 'PLAINTEXT' },
      { name: 'PW_REPOSITORY_URL', value: 'https://github.com/acme/web.git', type: 'PLAINTEXT' },
      { name: 'PW_BRANCH', value: 'main', type: 'PLAINTEXT' },
      { name: 'BranchName', value: 'main', type: 'PLAINTEXT' },
    ]);
    const spec = JSON.parse(input.buildspecOverride ?? '');
    expect(spec.phases.build.commands[0]).toContain('password=$PW_GIT_TOKEN');
    expect(spec.phases.build.commands).toContain('export CommitUrl="$PW_COMMIT_URL_BASE$CommitId"');
    expect(spec.env['exported-variables']).toContain('CommitUrl');
  });

  it('CodeStarSourceConnection: CodeBuild fetches the repository through the connection', async () => {
    const arn = 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc';
    const input = await startedBuild('CodeStarSourceConnection', {
      ConnectionArn: arn,
      FullRepositoryId: 'acme/web',
      BranchName: 'main',
    });
    expect(input).toMatchObject({
      sourceTypeOverride: 'GITHUB',
      sourceLocationOverride: 'https://github.com/acme/web.git',
      sourceAuthOverride: { type: 'CODECONNECTIONS', resource: arn },
      sourceVersion: 'main',
      gitCloneDepthOverride: 1,
    });
    expect(input.environmentVariablesOverride?.slice(0, 3)).toEqual([
      { name: 'BranchName', value: 'main', type: 'PLAINTEXT' },
      { name: 'FullRepositoryName', value: 'acme/web', type: 'PLAINTEXT' },
      { name: 'ConnectionArn', value: arn, type: 'PLAINTEXT' },
    ]);
    expect(JSON.parse(input.buildspecOverride ?? '')).toEqual({
      version: '0.2',
      env: {
        shell: 'bash',
        'exported-variables': [
          'AuthorDate',
          'BranchName',
          'CommitId',
          'CommitMessage',
          'ConnectionArn',
          'FullRepositoryName',
        ],
      },
      phases: {
        build: {
          commands: [
            'export AuthorDate="$(git log -1 --format=%aI)"',
            'export CommitId="$(git rev-parse HEAD)"',
            'export CommitMessage="$(git log -1 --format=%B)"',
          ],
        },
      },
      artifacts: { files: ['**/*'], 'exclude-paths': ['.git/**/*'] },
    });
  });

  it('refuses a local RepositoryUrl, a plain OAuth token and a branch git would read as an option', async () => {
    await sourceRun('Git', { RepositoryUrl: '../repos/web', BranchName: 'main' });
    const provider = (name: string) => awsSourceProvider(name as 'Git', options);
    expect(await provider('Git').run((t as AwsTestRun).run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('relative to the pipeline file'),
      },
    });
    await t?.cleanup();
    await sourceRun(
      'GitHub',
      { Owner: 'a', Repo: 'b', Branch: 'main', OAuthToken: 'ghp_secret' },
      'ThirdParty',
    );
    const github = await provider('GitHub').run((t as AwsTestRun).run);
    expect(github).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('OAuthToken must reference a secret'),
      },
    });
    expect(JSON.stringify(github)).not.toContain('ghp_secret');
    await t?.cleanup();
    await sourceRun('CodeCommit', { RepositoryName: 'r', BranchName: '--upload-pack=evil' });
    expect(await provider('CodeCommit').run((t as AwsTestRun).run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('not a valid branch name') },
    });
    expect(codebuild.commandCalls(StartBuildCommand)).toHaveLength(0);
  });
});

describe('awsSourceProvider: the generated buildspec, run by bash against a real repository', () => {
  let dir: string;
  let repo: string;
  let first = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pw-aws-git-'));
    repo = join(dir, 'origin');
    await mkdir(repo);
    const git = (...args: string[]) =>
      run$('git', ['-C', repo, ...args], {
        env: {
          ...process.env,
          HOME: dir,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_DATE: '2024-05-01T10:00:00Z',
          GIT_COMMITTER_DATE: '2024-05-02T11:00:00Z',
        },
      });
    await git('init', '--quiet', '--initial-branch=main');
    await git('config', 'user.email', 'dev@example.com');
    await git('config', 'user.name', 'Dev');
    await writeFile(join(repo, 'index.html'), '<h1>v1</h1>');
    await git('add', '.');
    await git('commit', '--quiet', '-m', 'first');
    first = (await git('rev-parse', 'HEAD')).stdout.trim();
    await git('checkout', '--quiet', '-b', HOSTILE_BRANCH);
    await writeFile(join(repo, 'index.html'), '<h1>v2</h1>');
    await git('commit', '--quiet', '-am', 'second: $(touch pwned2)\n\nbody line');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the build phase as CodeBuild does (one shell, stop at the first failure) and prints the exported variables. */
  async function runBuild(buildspec: string, environment: readonly EnvironmentVariable[], cwd: string) {
    const spec = JSON.parse(buildspec) as {
      phases: { build: { commands: string[] } };
      env: { 'exported-variables': string[] };
    };
    const dump = spec.env['exported-variables'].map((name) => `printf '%s=%s\\0' ${name} "$${name}"`);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };
    for (const v of environment) if (v.name && v.value !== undefined) env[v.name] = v.value;
    const { stdout } = await run$('bash', ['-e', '-c', [...spec.phases.build.commands, ...dump].join('\n')], {
      cwd,
      env,
    });
    return Object.fromEntries(
      stdout
        .split('\0')
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
  }

  it('clones the branch without ever evaluating its name and exports CodePipeline’s variables', async () => {
    const input = await startedBuild('Git', {
      RepositoryUrl: 'https://git.example.com/web-app.git',
      BranchName: HOSTILE_BRANCH,
    });
    const environment = (input.environmentVariablesOverride ?? []).map((v) =>
      v.name === 'PW_REPOSITORY_URL' ? { ...v, value: `file://${repo}` } : v,
    );
    const work = join(dir, 'build-1');
    await mkdir(work);
    const vars = await runBuild(input.buildspecOverride ?? '', environment, work);
    expect(vars).toEqual({
      AuthorDate: '2024-05-01T10:00:00+00:00',
      BranchName: HOSTILE_BRANCH,
      CommitId: expect.stringMatching(/^[0-9a-f]{40}$/),
      CommitMessage: 'second: $(touch pwned2)\n\nbody line',
      CommitterDate: '2024-05-02T11:00:00+00:00',
      RepositoryName: 'web-app',
    });
    expect(vars.CommitId).not.toBe(first);
    expect((await readdir(join(work, 'src'))).sort()).toEqual(['.git', 'index.html']);
    for (const name of ['pwned', 'pwned2']) {
      expect(await stat(join(work, name)).catch(() => undefined)).toBeUndefined();
      expect(await stat(join(work, 'src', name)).catch(() => undefined)).toBeUndefined();
    }
  });

  it('checks out the pinned commit', async () => {
    const input = await startedBuild('Git', {
      RepositoryUrl: 'ssh://git@git.example.com/web.git',
      BranchName: 'main',
      CommitId: first,
    });
    const environment = (input.environmentVariablesOverride ?? []).map((v) =>
      v.name === 'PW_REPOSITORY_URL' ? { ...v, value: `file://${repo}` } : v,
    );
    const work = join(dir, 'build-2');
    await mkdir(work);
    const vars = await runBuild(input.buildspecOverride ?? '', environment, work);
    expect(vars).toMatchObject({
      CommitId: first,
      CommitMessage: 'first',
      BranchName: 'main',
      RepositoryName: 'web',
    });
  });
});
