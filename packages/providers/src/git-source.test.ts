import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandsProvider } from './commands.ts';
import { gitSourceProvider, mappedSourceProvider } from './git-source.ts';
import { makeRun, type TestRun } from './testing/make-run.ts';

let t: TestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_AUTHOR_DATE: '2024-05-01T10:00:00+00:00',
  GIT_COMMITTER_DATE: '2024-05-01T11:00:00+00:00',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '/nonexistent',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A real repository: main with two commits, a feature branch. */
async function makeRepo(dir: string): Promise<{ first: string; second: string; feature: string }> {
  await mkdir(dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch=main');
  await writeFile(join(dir, 'README.md'), 'v1\n');
  await writeFile(join(dir, 'build.sh'), '#!/bin/sh\necho built\n');
  await chmod(join(dir, 'build.sh'), 0o755);
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'first');
  const first = git(dir, 'rev-parse', 'HEAD');
  await writeFile(join(dir, 'README.md'), 'v2\n');
  git(dir, 'commit', '--quiet', '-am', '"; touch pwned #\n\n$(touch pwned2) `touch pwned3`');
  const second = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '--quiet', '-b', 'feature');
  await writeFile(join(dir, 'feature.txt'), 'f\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'feature work');
  const feature = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '--quiet', 'main');
  await writeFile(join(dir, 'uncommitted.txt'), 'not in the artifact\n');
  return { first, second, feature };
}

describe('gitSourceProvider', () => {
  it('outputs the tree at the branch head without .git, with CodePipeline variables', async () => {
    t = await makeRun({
      action: {
        actionTypeId: { category: 'Source', owner: 'AWS', provider: 'Git', version: '1' },
        configuration: { RepositoryUrl: './repos/app', BranchName: 'main' },
        outputArtifacts: [{ name: 'Src' }],
      },
    });
    const { second } = await makeRepo(join(t.run.projectDir, 'repos', 'app'));
    const outcome = await gitSourceProvider({}).run(t.run);
    expect(outcome).toMatchObject({
      status: 'Succeeded',
      outputVariables: {
        CommitId: second,
        BranchName: 'main',
        CommitMessage: '"; touch pwned #\n\n$(touch pwned2) `touch pwned3`',
        AuthorDate: '2024-05-01T10:00:00+00:00',
        CommitterDate: '2024-05-01T11:00:00+00:00',
        RepositoryName: 'app',
      },
      externalExecutionId: second,
    });
    if (outcome.status !== 'Succeeded') throw new Error('unreachable');
    const dir = t.store.dirOf(
      outcome.outputArtifacts[0] ?? { name: '', uri: '', sha256: '', size: 0, files: 0 },
    );
    expect((await readdir(dir)).sort()).toEqual(['README.md', 'build.sh']);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('v2\n');
    expect((await stat(join(t.run.workspace, 'build.sh'))).mode & 0o111).not.toBe(0);
  });

  it('checks out a pinned CommitId and another branch', async () => {
    t = await makeRun({
      action: {
        configuration: { RepositoryUrl: 'repo', BranchName: 'main', CommitId: 'PLACEHOLDER' },
        outputArtifacts: [{ name: 'Src' }],
      },
    });
    const { first, feature } = await makeRepo(join(t.run.projectDir, 'repo'));
    t.run.action.configuration.CommitId = first.slice(0, 10);
    expect(await gitSourceProvider({}).run(t.run)).toMatchObject({ outputVariables: { CommitId: first } });
    expect(await readFile(join(t.run.workspace, 'README.md'), 'utf8')).toBe('v1\n');

    t.run.action.configuration = { RepositoryUrl: 'repo', BranchName: 'feature' };
    const cached = gitSourceProvider({ gitCacheDir: join(t.tmp, 'git-cache') });
    expect(await cached.run(t.run)).toMatchObject({
      outputVariables: { CommitId: feature, BranchName: 'feature' },
    });
    expect(await cached.run(t.run)).toMatchObject({ outputVariables: { CommitId: feature } });
  });

  it('fails clearly for a missing branch, an unknown commit and a missing repository', async () => {
    t = await makeRun({ action: { configuration: { RepositoryUrl: 'repo', BranchName: 'nope' } } });
    await makeRepo(join(t.run.projectDir, 'repo'));
    expect(await gitSourceProvider({}).run(t.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'ConfigurationError', message: expect.stringContaining('branch nope does not exist') },
    });
    t.run.action.configuration = { RepositoryUrl: 'repo', BranchName: 'main', CommitId: 'deadbeef' };
    expect(await gitSourceProvider({}).run(t.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'RevisionUnavailable' },
    });
    t.run.action.configuration = { RepositoryUrl: 'missing', BranchName: 'main' };
    expect(await gitSourceProvider({}).run(t.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'ConfigurationError', message: expect.stringContaining('does not exist') },
    });
  });

  it('feeds a hostile commit message to Commands without executing it', async () => {
    t = await makeRun({
      action: {
        configuration: { RepositoryUrl: 'repo', BranchName: 'main' },
        outputArtifacts: [{ name: 'Src' }],
      },
    });
    await makeRepo(join(t.run.projectDir, 'repo'));
    const source = await gitSourceProvider({}).run(t.run);
    if (source.status !== 'Succeeded') throw new Error(JSON.stringify(source));
    const variables = Object.fromEntries(
      Object.entries(source.outputVariables).map(([k, v]) => [`SourceVariables.${k}`, v]),
    );
    t.run.variables = variables;
    t.run.action.commands = [
      'echo #{SourceVariables.CommitMessage}',
      'echo "#{SourceVariables.CommitMessage}" > message.txt',
    ];
    const build = await commandsProvider({}).run(t.run);
    expect(build.status).toBe('Succeeded');
    expect((await readdir(t.run.workspace)).filter((f) => f.startsWith('pwned'))).toEqual([]);
    expect(await readFile(join(t.run.workspace, 'message.txt'), 'utf8')).toBe(
      `${source.outputVariables.CommitMessage}\n`,
    );
  });
});

describe('mappedSourceProvider', () => {
  it('reads a CodeCommit repository through the repository mapping', async () => {
    t = await makeRun({
      action: {
        name: 'Checkout',
        configuration: { RepositoryName: 'MyRepo', BranchName: 'feature' },
        outputArtifacts: [{ name: 'Src' }],
      },
    });
    const { feature } = await makeRepo(join(t.run.projectDir, 'repos', 'my-repo'));
    const provider = mappedSourceProvider('CodeCommit', { repositories: { MyRepo: './repos/my-repo' } });
    expect(await provider.run(t.run)).toMatchObject({
      status: 'Succeeded',
      outputVariables: { CommitId: feature, RepositoryName: 'MyRepo', BranchName: 'feature' },
    });
  });

  it('says exactly how to map an unmapped repository', async () => {
    t = await makeRun({
      action: {
        name: 'Checkout',
        configuration: {
          ConnectionArn: 'arn:aws:codeconnections:eu-west-1:1:connection/x',
          FullRepositoryId: 'acme/web',
          BranchName: 'main',
        },
      },
    });
    expect(await mappedSourceProvider('CodeStarSourceConnection', {}).run(t.run)).toMatchObject({
      status: 'Failed',
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('repositories: { "acme/web": "./path/to/web" }'),
      },
    });
  });

  it('maps GitHub Owner/Repo and adds CommitUrl', async () => {
    t = await makeRun({
      action: { configuration: { Owner: 'acme', Repo: 'web', Branch: 'main', OAuthToken: 'x' } },
    });
    const { second } = await makeRepo(join(t.tmp, 'elsewhere'));
    const provider = mappedSourceProvider('GitHub', {
      repositories: { 'acme/web': join(t.tmp, 'elsewhere') },
    });
    expect(await provider.run(t.run)).toMatchObject({
      outputVariables: { RepositoryName: 'web', CommitUrl: `https://github.com/acme/web/commit/${second}` },
    });
  });
});
