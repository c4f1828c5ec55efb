import { describe, expect, it } from 'vitest';
import type { GitPullRequestFilter, GitPushFilter, Trigger } from '../model/pipeline.ts';
import { codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

const git = (push?: GitPushFilter[], pullRequest?: GitPullRequestFilter[], source = 'Checkout'): Trigger => ({
  providerType: 'CodeStarSourceConnection',
  gitConfiguration: {
    sourceActionName: source,
    ...(push === undefined ? {} : { push }),
    ...(pullRequest === undefined ? {} : { pullRequest }),
  },
});

function withTriggers(...triggers: Trigger[]) {
  const p = validPipeline();
  p.triggers = triggers;
  return p;
}

describe('checkTriggers', () => {
  it('accepts valid git, schedule and event triggers', () => {
    const p = withTriggers(
      git(
        [
          { branches: { includes: ['main', 'release/**'] }, filePaths: { excludes: ['docs/**'] } },
          { tags: { includes: ['v*'] } },
        ],
        [{ events: ['OPEN', 'UPDATED'], branches: { includes: ['main'] } }],
      ),
      {
        providerType: 'Schedule',
        schedule: {
          expression: 'cron(0 9 ? * MON-FRI *)',
          timezone: 'Europe/Paris',
          variables: { env: 'nightly' },
        },
      },
      { providerType: 'EventPattern', eventPattern: { pattern: { source: ['aws.s3'] } } },
    );
    expect(codes(p)).toEqual([]);
  });

  it('needs the trigger source to be a Source action, suggesting the closest', () => {
    expect(
      messagesOf(
        withTriggers(git([{ branches: { includes: ['main'] } }], undefined, 'checkout')),
        'unknown-trigger-source',
      ),
    ).toEqual([
      'triggers/0/gitConfiguration/sourceActionName: no Source action is named "checkout"; did you mean "Checkout"? name one of the Source actions: Checkout',
    ]);
  });

  it('allows one git trigger per source action', () => {
    const t = git([{ branches: { includes: ['main'] } }]);
    expect(codes(withTriggers(t, t))).toEqual(['duplicate-git-trigger']);
  });

  it('rejects tags and branches in one push filter, and filePaths without branches', () => {
    const p = withTriggers(
      git([
        { tags: { includes: ['v*'] }, branches: { includes: ['main'] } },
        { tags: { includes: ['v*'] }, filePaths: { includes: ['src/**'] } },
      ]),
    );
    expect(codes(p)).toEqual(['tags-and-branches', 'file-paths-without-branches']);
  });

  it('limits filters to 1–3 and globs to 1–8 of at most 255 characters', () => {
    const b = { branches: { includes: ['main'] } };
    expect(codes(withTriggers(git([b, b, b, b])))).toEqual(['invalid-filter-count']);
    expect(codes(withTriggers(git([])))).toEqual(['invalid-filter-count']);
    expect(codes(withTriggers(git([{ branches: { includes: [] } }])))).toEqual(['invalid-glob-list']);
    expect(codes(withTriggers(git([{ branches: {} }])))).toEqual(['invalid-glob-list']);
    expect(codes(withTriggers(git([{ branches: { includes: ['x'.repeat(256)] } }])))).toEqual([
      'invalid-glob',
    ]);
  });

  it('checks pull-request events', () => {
    const p = withTriggers(
      git(undefined, [{ events: ['OPEN', 'MERGED' as 'OPEN'], branches: { includes: ['main'] } }]),
    );
    expect(messagesOf(p, 'invalid-pull-request-events')).toEqual([
      'triggers/0/gitConfiguration/pullRequest/0/events: pull request events must be 1–3 distinct values of OPEN, UPDATED, CLOSED; "MERGED" is not one',
    ]);
  });

  it('needs a git source for git triggers', () => {
    const p = withTriggers(git([{ branches: { includes: ['main'] } }]));
    const source = p.stages[0]?.actions[0];
    if (source === undefined) throw new Error('fixture changed');
    source.actionTypeId.provider = 'S3';
    source.configuration = { S3Bucket: 'b', S3ObjectKey: 'k.zip' };
    source.namespace = undefined;
    expect(codes(p)).toEqual(['trigger-source-not-git']);
  });

  it('parses schedules, time zones and event patterns', () => {
    expect(codes(withTriggers({ providerType: 'Schedule', schedule: { expression: 'every hour' } }))).toEqual(
      ['invalid-schedule'],
    );
    expect(
      codes(
        withTriggers({
          providerType: 'Schedule',
          schedule: { expression: 'rate(1 day)', timezone: 'Nowhere/City' },
        }),
      ),
    ).toEqual(['invalid-timezone']);
    expect(
      codes(withTriggers({ providerType: 'EventPattern', eventPattern: { pattern: { source: 'aws.s3' } } })),
    ).toEqual(['invalid-event-pattern']);
  });

  it('needs trigger variables to be declared pipeline variables', () => {
    const p = withTriggers({
      providerType: 'Schedule',
      schedule: { expression: 'rate(1 day)', variables: { Env: 'x' } },
    });
    expect(messagesOf(p, 'unknown-pipeline-variable')).toEqual([
      'triggers/0/schedule/variables/Env: the trigger sets pipeline variable "Env", which is not declared; did you mean "env"? declare it under variables',
    ]);
  });

  it('allows at most 50 triggers', () => {
    const p = withTriggers(
      ...Array.from(
        { length: 51 },
        (): Trigger => ({ providerType: 'Schedule', schedule: { expression: 'rate(1 day)' } }),
      ),
    );
    expect(codes(p)).toEqual(['too-many-triggers']);
  });
});
