import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type Action,
  decideTrigger,
  executionStream,
  type GitDelivery,
  type Pipeline,
  pipelineExecutionStarted,
} from '@pipewright/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../event-store/sqlite-event-store.ts';
import { GitPoller } from './git-poller.ts';
import { polledSources } from './polled-sources.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pw-poller-'));
  made.push(dir);
  return dir;
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** A repository at `dir/name` on branch main with one commit. */
function repository(dir: string, name = 'repo'): string {
  const repo = join(dir, name);
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  return commit(repo, { 'README.md': 'hello\n' }, 'Initial commit') && repo;
}

/** Commits files and returns the new head. */
function commit(repo: string, files: Record<string, string>, message: string, branch?: string): string {
  if (branch !== undefined) git(repo, 'checkout', '-q', '-B', branch);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), text);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

function source(name: string, provider: string, configuration: Record<string, string>): Action {
  return {
    name,
    actionTypeId: {
      category: 'Source',
      owner: provider === 'Git' ? 'Custom' : 'AWS',
      provider,
      version: '1',
    },
    runOrder: 1,
    configuration,
    inputArtifacts: [],
    outputArtifacts: [{ name: `${name}Output` }],
  };
}

function pipeline(name: string, actions: Action[]): Pipeline {
  return {
    name,
    executionMode: 'QUEUED',
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages: [{ name: 'Source', actions }],
  };
}

function recorder() {
  const deliveries: { pipeline: string; delivery: GitDelivery }[] = [];
  return {
    deliveries,
    deliver: async (p: string, delivery: GitDelivery) => {
      deliveries.push({ pipeline: p, delivery });
    },
  };
}

describe('GitPoller', () => {
  it('records the head on the first poll and delivers a push with commit, branch and changed files when it moves', async () => {
    // Prepare
    const dir = tempDir();
    const repo = repository(dir);
    const web = pipeline('web-app', [
      source('Checkout', 'Git', { RepositoryUrl: './repo', BranchName: 'main' }),
    ]);
    const r = recorder();
    const poller = new GitPoller({ deliver: r.deliver, now: () => new Date('2026-01-02T03:04:05Z') });
    poller.update([{ pipeline: web, projectDir: dir }]);

    // Act
    await poller.poll();
    const afterFirst = r.deliveries.length;
    const head = commit(repo, { 'src/app.js': 'x\n', 'README.md': 'changed\n' }, 'Add the app');
    await poller.poll();
    await poller.poll();

    // Assess
    expect(afterFirst).toBe(0);
    expect(r.deliveries).toEqual([
      {
        pipeline: 'web-app',
        delivery: {
          kind: 'git',
          provider: 'poller',
          triggerId: `web-app:./repo:${head}`,
          at: '2026-01-02T03:04:05.000Z',
          event: {
            kind: 'push',
            repository: './repo',
            ref: 'refs/heads/main',
            commitId: head,
            commitMessage: 'Add the app',
            changedFiles: ['README.md', 'src/app.js'],
          },
        },
      },
    ]);
    // The delivery starts the pipeline through its change detection.
    const decision = decideTrigger(web, (r.deliveries[0] as { delivery: GitDelivery }).delivery, 'exec-1');
    expect(decision.result.matched).toBe(true);
    expect(decision.start?.sourceRevisions).toEqual([
      { actionName: 'Checkout', revisionId: head, revisionSummary: 'Add the app' },
    ]);
  });

  it('watches only its branch, maps CodeStarSourceConnection repositories and delivers a new branch with all its files', async () => {
    // Prepare
    const dir = tempDir();
    const repo = repository(dir);
    const app = pipeline('app', [
      source('Code', 'CodeStarSourceConnection', { FullRepositoryId: 'acme/app', BranchName: 'release' }),
    ]);
    const r = recorder();
    const poller = new GitPoller({ deliver: r.deliver, repositories: { 'acme/app': repo } });
    poller.update([{ pipeline: app, projectDir: dir }]);
    await poller.poll();

    // Act
    commit(repo, { 'a.txt': 'a\n' }, 'On main');
    await poller.poll();
    const onMain = r.deliveries.length;
    const release = commit(repo, { 'b.txt': 'b\n' }, 'Cut the release', 'release');
    await poller.poll();

    // Assess
    expect(onMain).toBe(0);
    expect(r.deliveries.map((d) => d.delivery.triggerId)).toEqual([`app:acme/app:${release}`]);
    const event = r.deliveries[0]?.delivery.event;
    expect(event).toMatchObject({ repository: 'acme/app', ref: 'refs/heads/release', commitId: release });
    expect(event?.kind === 'push' && event.changedFiles).toEqual(['README.md', 'a.txt', 'b.txt']);
  });

  it('keeps the heads of unchanged sources over an update, and starts a new source by recording its head', async () => {
    // Prepare
    const dir = tempDir();
    const repo = repository(dir);
    const v1 = pipeline('web-app', [
      source('Checkout', 'Git', { RepositoryUrl: './repo', BranchName: 'main' }),
    ]);
    const other = pipeline('other', [source('Checkout', 'Git', { RepositoryUrl: repo, BranchName: 'main' })]);
    const r = recorder();
    const poller = new GitPoller({ deliver: r.deliver });
    poller.update([{ pipeline: v1, projectDir: dir }]);
    await poller.poll();

    // Act: a new version of web-app (same source), a new pipeline, then a commit.
    const head = commit(repo, { 'c.txt': 'c\n' }, 'Change');
    poller.update([
      { pipeline: { ...v1, version: 2 }, projectDir: dir },
      { pipeline: other, projectDir: dir },
    ]);
    await poller.poll();

    // Assess: web-app sees the commit made before the update; other only recorded it.
    expect(r.deliveries.map((d) => d.delivery.triggerId)).toEqual([`web-app:./repo:${head}`]);
  });

  it('retries a failed delivery on the next poll and reports a problem with a source once', async () => {
    // Prepare
    const dir = tempDir();
    const repo = repository(dir);
    const web = pipeline('web-app', [
      source('Checkout', 'Git', { RepositoryUrl: './repo', BranchName: 'main' }),
      source('Gone', 'Git', { RepositoryUrl: './missing', BranchName: 'main' }),
    ]);
    let failures = 1;
    const delivered: string[] = [];
    const errors: string[] = [];
    const poller = new GitPoller({
      deliver: async (_p, d) => {
        if (failures-- > 0) throw new Error('store busy');
        delivered.push(d.triggerId);
      },
      onError: (e, s) => errors.push(`${s.actionName}: ${e.message}`),
    });
    poller.update([{ pipeline: web, projectDir: dir }]);
    await poller.poll();

    // Act
    const head = commit(repo, { 'd.txt': 'd\n' }, 'Change');
    await poller.poll();
    await poller.poll();
    await poller.poll();

    // Assess
    expect(delivered).toEqual([`web-app:./repo:${head}`]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^Gone: repository .*missing of web-app\/Gone does not exist/);
    expect(errors[1]).toBe('Checkout: store busy');
  });

  it('does not deliver a commit that a recent execution already has for the action (a webhook was first)', async () => {
    // Prepare
    const dir = tempDir();
    const repo = repository(dir);
    const web = pipeline('web-app', [
      source('Checkout', 'Git', { RepositoryUrl: './repo', BranchName: 'main' }),
    ]);
    const store = SqliteEventStore.open(':memory:');
    const r = recorder();
    const poller = new GitPoller({ deliver: r.deliver, store });
    poller.update([{ pipeline: web, projectDir: dir }]);
    await poller.poll();

    // Act: a commit a webhook already started, then one it did not.
    const hooked = commit(repo, { 'f.txt': 'f\n' }, 'Started by a webhook');
    await store.append(
      executionStream('e-1'),
      [
        pipelineExecutionStarted({
          executionId: 'e-1',
          at: '2026-01-02T03:04:05.000Z',
          pipelineName: 'web-app',
          pipelineExecutionId: 'e-1',
          pipelineVersion: 1,
          executionMode: 'QUEUED',
          executionType: 'STANDARD',
          trigger: { triggerType: 'WebhookV2' },
          variables: [],
          sourceRevisions: [{ actionName: 'Checkout', revisionId: hooked }],
        }),
      ],
      { expectedVersion: 0, pipeline: 'web-app' },
    );
    await poller.poll();
    const polled = commit(repo, { 'g.txt': 'g\n' }, 'Only polled');
    await poller.poll();
    await store.close();

    // Assess
    expect(r.deliveries.map((d) => d.delivery.triggerId)).toEqual([`web-app:./repo:${polled}`]);
  });

  it('polls on its own after start() until stop()', async () => {
    // Prepare
    const dir = tempDir();
    const repo = repository(dir);
    const web = pipeline('web-app', [
      source('Checkout', 'Git', { RepositoryUrl: './repo', BranchName: 'main' }),
    ]);
    let seen: (d: GitDelivery) => void = () => undefined;
    const next = new Promise<GitDelivery>((done) => {
      seen = done;
    });
    const poller = new GitPoller({ deliver: async (_p, d) => seen(d), intervalMs: 20 });
    poller.update([{ pipeline: web, projectDir: dir }]);

    // Act
    poller.start();
    await poller.poll(); // the first poll (recording the head) has run
    const head = commit(repo, { 'e.txt': 'e\n' }, 'Change');
    const delivery = await next;
    await poller.stop();

    // Assess
    expect(delivery.triggerId).toBe(`web-app:./repo:${head}`);
  });
});

describe('polledSources', () => {
  it('takes local Git sources and mapped cloud sources, and leaves out URLs, variables, pinned commits and unmapped repositories', () => {
    const p = pipeline('p', [
      source('Local', 'Git', { RepositoryUrl: './repo', BranchName: 'main' }),
      source('HeadBranch', 'Git', { RepositoryUrl: '/srv/repo' }),
      source('Remote', 'Git', { RepositoryUrl: 'https://github.com/acme/web.git', BranchName: 'main' }),
      source('Pinned', 'Git', { RepositoryUrl: './repo', CommitId: 'abc1234' }),
      source('Variable', 'Git', { RepositoryUrl: './repo', BranchName: '#{variables.BRANCH}' }),
      source('Commit', 'CodeCommit', { RepositoryName: 'MyRepo', BranchName: 'dev' }),
      source('GitHub', 'GitHub', { Owner: 'acme', Repo: 'web', Branch: 'main' }),
      source('Unmapped', 'CodeStarSourceConnection', { FullRepositoryId: 'acme/other', BranchName: 'main' }),
      source('S3', 'S3', { S3Bucket: 'b', S3ObjectKey: 'k' }),
    ]);
    const sources = polledSources(p, '/srv/pipelines', {
      MyRepo: './repos/my-repo',
      'acme/web': 'git@github.com:acme/web.git',
    });
    expect(sources).toEqual([
      {
        pipeline: 'p',
        actionName: 'Local',
        repository: './repo',
        path: '/srv/pipelines/repo',
        branch: 'main',
      },
      { pipeline: 'p', actionName: 'HeadBranch', repository: '/srv/repo', path: '/srv/repo' },
      {
        pipeline: 'p',
        actionName: 'Commit',
        repository: 'MyRepo',
        path: '/srv/pipelines/repos/my-repo',
        branch: 'dev',
      },
    ]);
  });
});
