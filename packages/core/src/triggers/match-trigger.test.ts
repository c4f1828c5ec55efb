import { describe, expect, it } from 'vitest';
import type { GitPullRequestFilter, GitPushFilter, Trigger } from '../model/pipeline.ts';
import { matchTrigger } from './match-trigger.ts';

function git(push?: GitPushFilter[], pullRequest?: GitPullRequestFilter[]): Trigger {
  return {
    providerType: 'CodeStarSourceConnection',
    gitConfiguration: {
      sourceActionName: 'Source',
      ...(push ? { push } : {}),
      ...(pullRequest ? { pullRequest } : {}),
    },
  };
}

const push = (ref: string, changedFiles?: string[]) => ({
  kind: 'push' as const,
  ref,
  ...(changedFiles ? { changedFiles } : {}),
});

describe('matchTrigger', () => {
  it('explains a branch that no include matches', () => {
    const t = git([{ branches: { includes: ['main', 'release/*'] } }]);
    expect(matchTrigger(t, push('refs/heads/feature/x'))).toEqual({
      matched: false,
      reason: 'branch "feature/x" is not included by push filter 1 (includes: main, release/*)',
    });
    expect(matchTrigger(t, push('refs/heads/release/1.2'))).toEqual({ matched: true });
  });

  it('lets excludes win over includes', () => {
    const t = git([{ branches: { includes: ['**'], excludes: ['mainline'] } }]);
    expect(matchTrigger(t, push('refs/heads/mainline'))).toEqual({
      matched: false,
      reason: 'branch "mainline" is excluded by push filter 1 (excludes: mainline)',
    });
    expect(matchTrigger(t, push('refs/heads/dev')).matched).toBe(true);
  });

  it('treats absent includes as everything', () => {
    expect(matchTrigger(git([{ branches: { excludes: ['wip/*'] } }]), push('refs/heads/any')).matched).toBe(
      true,
    );
  });

  it('requires every criterion of a filter (AND)', () => {
    const t = git([{ branches: { includes: ['main'] }, filePaths: { includes: ['projectA/**'] } }]);
    expect(matchTrigger(t, push('refs/heads/main', ['projectA/x.ts'])).matched).toBe(true);
    expect(matchTrigger(t, push('refs/heads/main', ['projectB/x.ts']))).toEqual({
      matched: false,
      reason:
        'no changed file (projectB/x.ts) is included and not excluded by push filter 1 (includes: projectA/**)',
    });
    expect(matchTrigger(t, push('refs/heads/dev', ['projectA/x.ts'])).matched).toBe(false);
  });

  it('ORs several filters and gives every reason when none matches', () => {
    const t = git([{ branches: { includes: ['main'] } }, { tags: { includes: ['v*'] } }]);
    expect(matchTrigger(t, push('refs/tags/v1.0')).matched).toBe(true);
    expect(matchTrigger(t, push('refs/heads/main')).matched).toBe(true);
    const r = matchTrigger(t, push('refs/tags/x1'));
    expect(r).toEqual({
      matched: false,
      reason:
        'push filter 1 has no tags criterion, so tag "x1" does not match; tag "x1" is not included by push filter 2 (includes: v*)',
    });
  });

  it('matches file paths when any changed file is included and not excluded', () => {
    const t = git([
      {
        branches: { includes: ['main'] },
        filePaths: { includes: ['projectA/**', 'common/**/*.js'], excludes: ['**/README.md'] },
      },
    ]);
    expect(matchTrigger(t, push('refs/heads/main', ['projectA/README.md', 'common/lib/a.js'])).matched).toBe(
      true,
    );
    expect(matchTrigger(t, push('refs/heads/main', ['projectA/README.md'])).matched).toBe(false);
    expect(matchTrigger(t, push('refs/heads/main', []))).toMatchObject({
      matched: false,
      reason: expect.stringContaining('no file changed'),
    });
    expect(matchTrigger(t, push('refs/heads/main'))).toMatchObject({
      reason: 'push filter 1 filters file paths but the event does not list its changed files',
    });
  });

  it('keeps tag filters to tag pushes and branch filters to branch pushes', () => {
    expect(matchTrigger(git([{ tags: { includes: ['**'] } }]), push('refs/heads/main'))).toEqual({
      matched: false,
      reason: 'push filter 1 matches tags only; branch "main" does not match',
    });
    expect(matchTrigger(git([{ branches: { includes: ['**'] } }]), push('refs/tags/v1')).matched).toBe(false);
    expect(
      matchTrigger(git([{ filePaths: { includes: ['**'] } }]), push('refs/heads/x', ['a'])).matched,
    ).toBe(true);
    expect(matchTrigger(git([{ branches: {} }]), push('refs/notes/x')).matched).toBe(false);
  });

  it('matches pull requests on the destination branch and the event', () => {
    const t = git(undefined, [{ events: ['OPEN', 'UPDATED'], branches: { includes: ['main'] } }]);
    const pr = {
      kind: 'pullRequest' as const,
      action: 'OPEN' as const,
      sourceBranch: 'feature/x',
      destinationBranch: 'main',
    };
    expect(matchTrigger(t, pr)).toEqual({ matched: true });
    expect(matchTrigger(t, { ...pr, destinationBranch: 'refs/heads/main' }).matched).toBe(true);
    expect(matchTrigger(t, { ...pr, sourceBranch: 'main', destinationBranch: 'dev' })).toEqual({
      matched: false,
      reason: 'destination branch "dev" is not included by pull request filter 1 (includes: main)',
    });
    expect(matchTrigger(t, { ...pr, action: 'CLOSED' })).toEqual({
      matched: false,
      reason: 'pull request event CLOSED is not among the events of pull request filter 1 (OPEN, UPDATED)',
    });
  });

  it('accepts every pull request event when events are absent', () => {
    const t = git(undefined, [{ branches: { includes: ['main'] } }]);
    const pr = {
      kind: 'pullRequest' as const,
      action: 'CLOSED' as const,
      sourceBranch: 'a',
      destinationBranch: 'main',
    };
    expect(matchTrigger(t, pr).matched).toBe(true);
  });

  it('does not cross push and pull request filters', () => {
    const pr = {
      kind: 'pullRequest' as const,
      action: 'OPEN' as const,
      sourceBranch: 'a',
      destinationBranch: 'main',
    };
    expect(matchTrigger(git([{ branches: { includes: ['main'] } }]), pr).matched).toBe(false);
    expect(matchTrigger(git(undefined, [{}]), push('refs/heads/main')).matched).toBe(false);
  });

  it('watches the default branch when the trigger has no filters', () => {
    const t = git();
    expect(matchTrigger(t, push('refs/heads/main'), { defaultBranch: 'main' }).matched).toBe(true);
    expect(matchTrigger(t, push('refs/heads/dev'), { defaultBranch: 'main' })).toMatchObject({
      matched: false,
      reason: expect.stringContaining('watches the source action\'s branch "main"'),
    });
    expect(matchTrigger(t, push('refs/heads/dev')).matched).toBe(true);
    expect(matchTrigger(t, push('refs/tags/v1')).matched).toBe(false);
  });

  it('never matches schedule and event-pattern triggers', () => {
    const t: Trigger = { providerType: 'Schedule', schedule: { expression: 'rate(1 day)' } };
    expect(matchTrigger(t, push('refs/heads/main'))).toEqual({
      matched: false,
      reason: 'a Schedule trigger is not started by git events',
    });
  });
});
