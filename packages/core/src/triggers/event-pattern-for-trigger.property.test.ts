import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  GitPullRequestFilter,
  GitPushFilter,
  GlobFilter,
  Pipeline,
  Trigger,
} from '../model/pipeline.ts';
import { matchEventPattern } from './event-pattern.ts';
import { eventPatternForTrigger, toGitBusEvent } from './event-pattern-for-trigger.ts';
import type { GitEvent } from './git-event.ts';
import { matchTrigger } from './match-trigger.ts';
import { validateEventPattern } from './validate-event-pattern.ts';

const segment = fc.constantFrom('main', 'release', 'feature', 'v1', 'v1.2', 'x', 'a-b', 'rc');
const name = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const globToken = fc.constantFrom(
  'main',
  'release',
  'feature',
  'v1',
  'x',
  'a-b',
  '*',
  '**',
  '?',
  '/',
  '.',
  '{main,x}',
  '[mr]',
  'rc',
);
const glob = fc.array(globToken, { minLength: 1, maxLength: 4 }).map((t) => t.join(''));
const globs = fc.array(glob, { minLength: 1, maxLength: 3 });
const globFilter: fc.Arbitrary<GlobFilter> = fc.record(
  { includes: globs, excludes: globs },
  { requiredKeys: [] },
);
const pushFilter: fc.Arbitrary<GitPushFilter> = fc.record(
  { branches: globFilter, tags: globFilter, filePaths: globFilter },
  { requiredKeys: [] },
);
const prFilter: fc.Arbitrary<GitPullRequestFilter> = fc.record(
  {
    events: fc.subarray(['OPEN', 'UPDATED', 'CLOSED'] as const, { minLength: 1 }),
    branches: globFilter,
    filePaths: globFilter,
  },
  { requiredKeys: [] },
);
const trigger: fc.Arbitrary<Trigger> = fc
  .record({
    push: fc.array(pushFilter, { maxLength: 3 }),
    pullRequest: fc.array(prFilter, { maxLength: 3 }),
  })
  .map(({ push, pullRequest }) => ({
    providerType: 'CodeStarSourceConnection' as const,
    gitConfiguration: {
      sourceActionName: 'Source',
      ...(push.length > 0 ? { push } : {}),
      ...(pullRequest.length > 0 ? { pullRequest } : {}),
    },
  }));
const files = fc.option(fc.array(name, { maxLength: 4 }), { nil: undefined });
const event: fc.Arbitrary<GitEvent> = fc.oneof(
  fc
    .record({
      ref: fc.oneof(
        name.map((n) => `refs/heads/${n}`),
        name.map((n) => `refs/tags/${n}`),
      ),
      changedFiles: files,
    })
    .map(({ ref, changedFiles }) => ({
      kind: 'push' as const,
      ref,
      ...(changedFiles ? { changedFiles } : {}),
    })),
  fc
    .record({
      action: fc.constantFrom('OPEN', 'UPDATED', 'CLOSED' as const),
      sourceBranch: name,
      destinationBranch: name,
      changedFiles: files,
    })
    .map(({ changedFiles, ...rest }) => ({
      kind: 'pullRequest' as const,
      ...rest,
      ...(changedFiles ? { changedFiles } : {}),
    })),
);

function pipeline(branch: string): Pipeline {
  return {
    name: 'app',
    executionMode: 'SUPERSEDED',
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages: [
      {
        name: 'Source',
        actions: [
          {
            name: 'Source',
            actionTypeId: {
              category: 'Source',
              owner: 'AWS',
              provider: 'CodeStarSourceConnection',
              version: '1',
            },
            runOrder: 1,
            configuration: { FullRepositoryId: 'org/app', BranchName: branch },
            inputArtifacts: [],
            outputArtifacts: [{ name: 'Out' }],
          },
        ],
      },
    ],
  };
}

describe('eventPatternForTrigger (property)', () => {
  it('never rejects an event that matchTrigger accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(trigger, event, name, (t, e, defaultBranch) => {
        const pattern = eventPatternForTrigger(pipeline(defaultBranch), t);
        expect(pattern).toBeDefined();
        expect(validateEventPattern(pattern)).toEqual([]);
        if (matchTrigger(t, e, { defaultBranch }).matched) {
          accepted++;
          expect(matchEventPattern(pattern ?? {}, toGitBusEvent({ ...e, repository: 'org/app' }))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    // The generators must produce enough accepted events for the property to say something.
    expect(accepted).toBeGreaterThan(100);
  });

  it('rejects events of other repositories', () => {
    fc.assert(
      fc.property(trigger, event, (t, e) => {
        const pattern = eventPatternForTrigger(pipeline('main'), t) ?? {};
        expect(matchEventPattern(pattern, toGitBusEvent({ ...e, repository: 'org/other' }))).toBe(false);
      }),
    );
  });
});
