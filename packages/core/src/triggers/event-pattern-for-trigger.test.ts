import { describe, expect, it } from 'vitest';
import type { Action, Pipeline, Trigger } from '../model/pipeline.ts';
import { matchEventPattern } from './event-pattern.ts';
import { eventPatternForTrigger, globLiteralPrefix, toGitBusEvent } from './event-pattern-for-trigger.ts';
import { validateEventPattern } from './validate-event-pattern.ts';

function pipelineWith(source: Action): Pipeline {
  return {
    name: 'app',
    executionMode: 'SUPERSEDED',
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages: [
      { name: 'Source', actions: [source] },
      { name: 'Build', actions: [] },
    ],
  };
}

const connectionSource: Action = {
  name: 'Source',
  actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeStarSourceConnection', version: '1' },
  runOrder: 1,
  configuration: { FullRepositoryId: 'org/app', BranchName: 'main', ConnectionArn: 'arn:aws:x' },
  inputArtifacts: [],
  outputArtifacts: [{ name: 'SourceOutput' }],
};

const git = (
  config: Omit<
    Extract<Trigger, { providerType: 'CodeStarSourceConnection' }>['gitConfiguration'],
    'sourceActionName'
  >,
): Trigger => ({
  providerType: 'CodeStarSourceConnection',
  gitConfiguration: { sourceActionName: 'Source', ...config },
});

describe('globLiteralPrefix', () => {
  it.each([
    ['main', 'main'],
    ['release/*', 'release/'],
    ['feature/**', 'feature/'],
    ['v?', 'v'],
    ['{a,b}', ''],
    ['x[ab]', 'x'],
    ['a\\*b', 'a'],
  ])('of %s is %s', (glob, prefix) => {
    expect(globLiteralPrefix(glob)).toBe(prefix);
  });
});

describe('toGitBusEvent', () => {
  it('wraps a push', () => {
    expect(
      toGitBusEvent({ kind: 'push', repository: 'org/app', ref: 'refs/heads/main', commitId: 'abc' }),
    ).toEqual({
      source: 'pipewright.git',
      'detail-type': 'Git Push',
      detail: { repository: 'org/app', ref: 'refs/heads/main', commitId: 'abc' },
    });
  });

  it('wraps a pull request with short branch names and a custom source', () => {
    expect(
      toGitBusEvent(
        {
          kind: 'pullRequest',
          action: 'OPEN',
          sourceBranch: 'refs/heads/feature/x',
          destinationBranch: 'main',
        },
        { busSource: 'acme.git' },
      ),
    ).toEqual({
      source: 'acme.git',
      'detail-type': 'Git Pull Request',
      detail: { action: 'OPEN', sourceBranch: 'feature/x', destinationBranch: 'main' },
    });
  });
});

describe('eventPatternForTrigger', () => {
  const pipeline = pipelineWith(connectionSource);

  it('narrows pushes by repository and ref', () => {
    const pattern = eventPatternForTrigger(
      pipeline,
      git({
        push: [
          { branches: { includes: ['main', 'release/*'], excludes: ['release/old'] } },
          { tags: { includes: ['v*'] } },
        ],
      }),
    );
    expect(pattern).toEqual({
      source: ['pipewright.git'],
      'detail-type': ['Git Push'],
      detail: {
        repository: ['org/app'],
        ref: ['refs/heads/main', { prefix: 'refs/heads/release/' }, { prefix: 'refs/tags/v' }],
      },
    });
    expect(validateEventPattern(pattern)).toEqual([]);
  });

  it('watches the source action branch when the trigger has no filters', () => {
    expect(eventPatternForTrigger(pipeline, git({}))).toMatchObject({ detail: { ref: ['refs/heads/main'] } });
  });

  it('narrows pull requests by event and destination branch', () => {
    expect(
      eventPatternForTrigger(
        pipeline,
        git({ pullRequest: [{ events: ['OPEN', 'UPDATED'], branches: { includes: ['main'] } }] }),
      ),
    ).toEqual({
      source: ['pipewright.git'],
      'detail-type': ['Git Pull Request'],
      detail: { repository: ['org/app'], action: ['OPEN', 'UPDATED'], destinationBranch: ['main'] },
    });
  });

  it('leaves out criteria that accept everything', () => {
    expect(
      eventPatternForTrigger(pipeline, git({ pullRequest: [{ branches: { includes: ['**'] } }] })),
    ).toEqual({
      source: ['pipewright.git'],
      'detail-type': ['Git Pull Request'],
      detail: { repository: ['org/app'] },
    });
  });

  it('ORs push and pull request parts', () => {
    const pattern = eventPatternForTrigger(
      pipeline,
      git({ push: [{ branches: { includes: ['main'] } }], pullRequest: [{ events: ['CLOSED'] }] }),
      { busSource: 'acme.git' },
    );
    expect(pattern).toEqual({
      source: ['acme.git'],
      $or: [
        { 'detail-type': ['Git Push'], detail: { repository: ['org/app'], ref: ['refs/heads/main'] } },
        { 'detail-type': ['Git Pull Request'], detail: { repository: ['org/app'], action: ['CLOSED'] } },
      ],
    });
    const push = toGitBusEvent(
      { kind: 'push', repository: 'org/app', ref: 'refs/heads/main' },
      { busSource: 'acme.git' },
    );
    expect(matchEventPattern(pattern ?? {}, push)).toBe(true);
    expect(
      matchEventPattern(pattern ?? {}, { ...push, detail: { ...push.detail, repository: 'org/other' } }),
    ).toBe(false);
  });

  it('builds the CodeCommit state-change pattern for CodeCommit sources', () => {
    const codeCommit = pipelineWith({
      ...connectionSource,
      actionTypeId: { ...connectionSource.actionTypeId, provider: 'CodeCommit' },
      configuration: { RepositoryName: 'app', BranchName: 'main' },
    });
    expect(eventPatternForTrigger(codeCommit, git({}))).toEqual({
      source: ['aws.codecommit'],
      'detail-type': ['CodeCommit Repository State Change'],
      detail: {
        event: ['referenceCreated', 'referenceUpdated'],
        repositoryName: ['app'],
        referenceType: ['branch'],
        referenceName: ['main'],
      },
    });
    expect(
      eventPatternForTrigger(
        codeCommit,
        git({ push: [{ branches: { includes: ['release/*'] } }, { tags: {} }] }),
      ),
    ).toMatchObject({ detail: { referenceType: ['branch', 'tag'] } });
    expect(
      eventPatternForTrigger(codeCommit, git({ push: [{ branches: { includes: ['release/*'] } }] })),
    ).toMatchObject({ detail: { referenceName: [{ prefix: 'release/' }] } });
  });

  it('omits a repository given by a variable', () => {
    const p = pipelineWith({ ...connectionSource, configuration: { FullRepositoryId: '#{variables.repo}' } });
    expect(eventPatternForTrigger(p, git({}))).toEqual({
      source: ['pipewright.git'],
      'detail-type': ['Git Push'],
      detail: { ref: [{ prefix: 'refs/heads/' }] },
    });
  });

  it('returns the user pattern for event-pattern triggers and nothing for schedules', () => {
    const pattern = { source: ['aws.s3'] };
    const result = eventPatternForTrigger(pipeline, {
      providerType: 'EventPattern',
      eventPattern: { pattern },
    });
    expect(result).toEqual(pattern);
    expect(result).not.toBe(pattern);
    expect(
      eventPatternForTrigger(pipeline, { providerType: 'Schedule', schedule: { expression: 'rate(1 day)' } }),
    ).toBeUndefined();
  });
});
