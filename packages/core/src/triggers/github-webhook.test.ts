import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromGitHubWebhook, GITHUB_PUSH_COMMIT_LIMIT } from './github-webhook.ts';

const fixtures = new URL('../../../../test/fixtures/triggers/github/', import.meta.url);
const payload = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Record<string, unknown>;

describe('fromGitHubWebhook', () => {
  it('maps a branch push with the union of the changed files', () => {
    expect(fromGitHubWebhook('push', payload('push-branch.json'))).toEqual({
      ok: true,
      event: {
        kind: 'push',
        repository: 'acme/web',
        ref: 'refs/heads/main',
        commitId: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
        commitMessage: 'Fix login',
        changedFiles: ['README.md', 'src/login/form.ts', 'src/login/old.ts'],
      },
    });
  });

  it('maps a tag push with no commits to an empty list of changed files', () => {
    const r = fromGitHubWebhook('push', payload('push-tag.json'));
    expect(r).toMatchObject({
      ok: true,
      event: { kind: 'push', ref: 'refs/tags/v1.2.0', changedFiles: [] },
    });
  });

  it('takes the after commit when there is no head commit', () => {
    const r = fromGitHubWebhook('push', { ref: 'refs/heads/main', after: 'abc1234', head_commit: null });
    expect(r).toEqual({
      ok: true,
      event: { kind: 'push', ref: 'refs/heads/main', commitId: 'abc1234', changedFiles: [] },
    });
  });

  it('leaves the changed files unknown when GitHub may have cut the commit list', () => {
    const commits = Array.from({ length: GITHUB_PUSH_COMMIT_LIMIT }, () => ({ added: ['a.ts'] }));
    const r = fromGitHubWebhook('push', { ref: 'refs/heads/main', commits });
    expect(r.ok && r.event.changedFiles).toBeUndefined();
  });

  it('refuses a push that deletes its branch', () => {
    expect(fromGitHubWebhook('push', { ...payload('push-branch.json'), deleted: true })).toEqual({
      ok: false,
      reason: 'the push deletes refs/heads/main; deletions start nothing',
    });
  });

  it('says what is wrong with a malformed push payload', () => {
    const r = fromGitHubWebhook('push', { commits: 'many' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^the push payload is not one GitHub sends \(ref: .*commits: /);
  });

  it('maps a pull request update onto the destination branch without changed files', () => {
    expect(fromGitHubWebhook('pull_request', payload('pull-request-synchronize.json'))).toEqual({
      ok: true,
      event: {
        kind: 'pullRequest',
        repository: 'acme/web',
        action: 'UPDATED',
        sourceBranch: 'feature/login',
        destinationBranch: 'main',
        commitId: '8e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b',
        number: 42,
        title: 'Login form',
      },
    });
  });

  it.each([
    ['opened', 'OPEN'],
    ['reopened', 'OPEN'],
    ['synchronize', 'UPDATED'],
    ['closed', 'CLOSED'],
  ])('maps pull request action %s to %s', (action, expected) => {
    const r = fromGitHubWebhook('pull_request', { ...payload('pull-request-synchronize.json'), action });
    expect(r.ok && r.event.kind === 'pullRequest' && r.event.action).toBe(expected);
  });

  it('refuses pull request actions that start nothing', () => {
    const r = fromGitHubWebhook('pull_request', {
      ...payload('pull-request-synchronize.json'),
      action: 'labeled',
    });
    expect(r).toEqual({
      ok: false,
      reason:
        'pull request action "labeled" starts nothing; pipelines start on opened, reopened, synchronize and closed',
    });
  });

  it('refuses a pull request payload without branches', () => {
    const r = fromGitHubWebhook('pull_request', { action: 'opened', pull_request: { head: {} } });
    expect(!r.ok && r.reason).toContain('pull_request.head.ref');
  });

  it('refuses other GitHub events', () => {
    expect(fromGitHubWebhook('issues', {})).toEqual({
      ok: false,
      reason: 'GitHub event "issues" starts nothing; pipelines start on push and pull_request events',
    });
  });
});
