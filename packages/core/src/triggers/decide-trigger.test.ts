import { describe, expect, it } from 'vitest';
import { TriggerReceivedDataSchema } from '../events/pipeline-stream-events.ts';
import type { Action, Pipeline, Trigger } from '../model/pipeline.ts';
import { decideTrigger } from './decide-trigger.ts';
import type { GitEvent } from './git-event.ts';
import type { BusEvent, TriggerDelivery } from './trigger-delivery.ts';

const AT = '2026-01-02T03:04:05.000Z';

function source(name: string, provider: string, configuration: Record<string, string>): Action {
  return {
    name,
    actionTypeId: {
      category: 'Source',
      owner: provider === 'GitHub' ? 'ThirdParty' : 'AWS',
      provider,
      version: '1',
    },
    runOrder: 1,
    configuration,
    inputArtifacts: [],
    outputArtifacts: [{ name: `${name}Out` }],
  };
}

const checkout = source('Checkout', 'CodeStarSourceConnection', {
  ConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/x',
  FullRepositoryId: 'acme/web',
  BranchName: 'main',
});

function pipeline(triggers: Trigger[], actions: Action[] = [checkout]): Pipeline {
  return {
    name: 'web-app',
    executionMode: 'QUEUED',
    pipelineType: 'V2',
    variables: [{ name: 'ENV', defaultValue: 'dev' }],
    triggers,
    stages: [{ name: 'Source', actions }],
  };
}

const gitTrigger = (
  config: Omit<
    Extract<Trigger, { providerType: 'CodeStarSourceConnection' }>['gitConfiguration'],
    'sourceActionName'
  >,
  name = 'Checkout',
): Trigger => ({
  providerType: 'CodeStarSourceConnection',
  gitConfiguration: { sourceActionName: name, ...config },
});

const git = (event: GitEvent, triggerId = 'gh-1'): TriggerDelivery => ({
  kind: 'git',
  provider: 'github',
  triggerId,
  at: AT,
  event,
});

const push = (ref: string, extra: Partial<Extract<GitEvent, { kind: 'push' }>> = {}): GitEvent => ({
  kind: 'push',
  repository: 'acme/web',
  ref,
  ...extra,
});

const pr = (action: 'OPEN' | 'UPDATED' | 'CLOSED', destinationBranch = 'main'): GitEvent => ({
  kind: 'pullRequest',
  repository: 'acme/web',
  action,
  sourceBranch: 'feature/x',
  destinationBranch,
  number: 7,
});

describe('decideTrigger', () => {
  describe('git events', () => {
    it('records a poll as PollForSourceChanges and a webhook as WebhookV2', () => {
      // Prepare
      const p = pipeline([gitTrigger({ push: [{ branches: { includes: ['main'] } }] })]);
      const event = push('refs/heads/main', { commitId: '0d1a26e67d8f' });
      // Act
      const polled = decideTrigger(
        p,
        { kind: 'git', provider: 'poller', triggerId: 'poll-1', at: AT, event },
        'exec-1',
      );
      const hooked = decideTrigger(p, git(event), 'exec-2');
      // Assess
      expect(polled.start?.trigger.triggerType).toBe('PollForSourceChanges');
      expect(hooked.start?.trigger.triggerType).toBe('WebhookV2');
    });

    it('starts an execution when a push filter matches, with the commit as source revision', () => {
      // Prepare
      const p = pipeline([gitTrigger({ push: [{ branches: { includes: ['main', 'release/*'] } }] })]);

      // Act
      const d = decideTrigger(
        p,
        git(push('refs/heads/release/1', { commitId: '0d1a26e67d8f', commitMessage: 'Fix login' })),
        'exec-1',
      );

      // Assess
      expect(d.result).toEqual({
        triggerId: 'gh-1',
        matched: true,
        reason: 'push to branch "release/1" (0d1a26e) matches git trigger 1 (source action "Checkout")',
        executionId: 'exec-1',
      });
      expect(d.start).toEqual({
        executionId: 'exec-1',
        variables: {},
        trigger: { triggerType: 'WebhookV2', triggerDetail: 'github:acme/web@refs/heads/release/1' },
        actor: { kind: 'trigger', id: 'github' },
        sourceRevisions: [
          { actionName: 'Checkout', revisionId: '0d1a26e67d8f', revisionSummary: 'Fix login' },
        ],
      });
      const [event] = d.events;
      expect(event.id).toBe('web-app:gh-1:TriggerReceived');
      expect(event.stream).toBe('pipeline-web-app');
      expect(event.at).toBe(AT);
      expect(TriggerReceivedDataSchema.parse(event.data)).toEqual({
        triggerId: 'gh-1',
        trigger: { triggerType: 'WebhookV2', triggerDetail: 'github:acme/web@refs/heads/release/1' },
        source: 'github:acme/web@refs/heads/release/1',
        matched: true,
        reason: d.result.reason,
        pipelineExecutionId: 'exec-1',
      });
    });

    it('records a branch no include matches, and starts nothing', () => {
      const p = pipeline([gitTrigger({ push: [{ branches: { includes: ['main'] } }] })]);
      const d = decideTrigger(p, git(push('refs/heads/feature/x')), 'exec-1');
      expect(d.start).toBeUndefined();
      expect(d.result).toEqual({
        triggerId: 'gh-1',
        matched: false,
        reason:
          'push to branch "feature/x": branch "feature/x" is not included by push filter 1 (includes: main)',
      });
      expect(d.events[0].data).toMatchObject({ matched: false });
      expect(d.events[0].data.pipelineExecutionId).toBeUndefined();
    });

    it('records a branch an exclude matches', () => {
      const p = pipeline([gitTrigger({ push: [{ branches: { includes: ['**'], excludes: ['wip/**'] } }] })]);
      expect(decideTrigger(p, git(push('refs/heads/wip/a')), 'e').result.reason).toBe(
        'push to branch "wip/a": branch "wip/a" is excluded by push filter 1 (excludes: wip/**)',
      );
    });

    it('matches tags against tag filters only', () => {
      const p = pipeline([gitTrigger({ push: [{ tags: { includes: ['v*'] } }] })]);
      expect(decideTrigger(p, git(push('refs/tags/v1.0')), 'e').result.matched).toBe(true);
      expect(decideTrigger(p, git(push('refs/tags/beta')), 'e').result.reason).toBe(
        'push to tag "beta": tag "beta" is not included by push filter 1 (includes: v*)',
      );
      expect(decideTrigger(p, git(push('refs/heads/main')), 'e').result.reason).toBe(
        'push to branch "main": push filter 1 matches tags only; branch "main" does not match',
      );
    });

    it('applies file path filters to the changed files', () => {
      const p = pipeline([
        gitTrigger({ push: [{ branches: { includes: ['main'] }, filePaths: { includes: ['src/**'] } }] }),
      ]);
      expect(
        decideTrigger(p, git(push('refs/heads/main', { changedFiles: ['src/a.ts'] })), 'e').start,
      ).toBeDefined();
      expect(
        decideTrigger(p, git(push('refs/heads/main', { changedFiles: ['docs/a.md'] })), 'e').result.reason,
      ).toBe(
        'push to branch "main": no changed file (docs/a.md) is included and not excluded by push filter 1 (includes: src/**)',
      );
      expect(decideTrigger(p, git(push('refs/heads/main')), 'e').result.reason).toBe(
        'push to branch "main": push filter 1 filters file paths but the event does not list its changed files',
      );
    });

    it('matches pull requests on their event and destination branch', () => {
      const p = pipeline([
        gitTrigger({ pullRequest: [{ events: ['OPEN', 'UPDATED'], branches: { includes: ['main'] } }] }),
      ]);
      const opened = decideTrigger(p, git(pr('OPEN')), 'e');
      expect(opened.result).toMatchObject({
        matched: true,
        reason: 'pull request #7 OPEN feature/x → main matches git trigger 1 (source action "Checkout")',
      });
      expect(opened.start?.trigger.triggerDetail).toBe('github:acme/web#7');
      expect(decideTrigger(p, git(pr('CLOSED')), 'e').result.reason).toBe(
        'pull request #7 CLOSED feature/x → main: pull request event CLOSED is not among the events of pull request filter 1 (OPEN, UPDATED)',
      );
      expect(decideTrigger(p, git(pr('OPEN', 'dev')), 'e').result.matched).toBe(false);
      expect(decideTrigger(p, git(push('refs/heads/main')), 'e').result.reason).toContain(
        'the trigger has pull request filters only; this is a push',
      );
    });

    it('says when a pull request filter needs changed files a webhook does not list', () => {
      const p = pipeline([gitTrigger({ pullRequest: [{ filePaths: { includes: ['src/**'] } }] })]);
      expect(decideTrigger(p, git(pr('OPEN')), 'e').result.reason).toContain(
        'pull request filter 1 filters file paths but the event does not list its changed files',
      );
    });

    it('refuses events from another repository than the source action reads', () => {
      const p = pipeline([gitTrigger({ push: [{ branches: { includes: ['main'] } }] })]);
      const d = decideTrigger(p, git({ ...push('refs/heads/main'), repository: 'acme/other' }), 'e');
      expect(d.result.reason).toBe(
        'push to branch "main": source action "Checkout" reads acme/web; this event is from acme/other',
      );
      expect(
        decideTrigger(p, git({ ...push('refs/heads/main'), repository: 'ACME/Web' }), 'e').result.matched,
      ).toBe(true);
    });

    it('gives every trigger its reason and starts on the first that matches', () => {
      const other = source('Lib', 'CodeStarSourceConnection', {
        FullRepositoryId: 'acme/lib',
        BranchName: 'main',
      });
      const p = pipeline(
        [
          gitTrigger({ push: [{ branches: { includes: ['main'] } }] }, 'Lib'),
          gitTrigger({ push: [{ branches: { includes: ['dev'] } }] }),
        ],
        [checkout, other],
      );
      expect(decideTrigger(p, git(push('refs/heads/main')), 'e').result.reason).toBe(
        'push to branch "main": git trigger 1 (source action "Lib"): source action "Lib" reads acme/lib; this event is from acme/web; git trigger 2 (source action "Checkout"): branch "main" is not included by push filter 1 (includes: dev)',
      );
      const d = decideTrigger(p, git(push('refs/heads/dev', { commitId: 'abc' })), 'e');
      expect(d.start?.sourceRevisions).toEqual([{ actionName: 'Checkout', revisionId: 'abc' }]);
    });

    it('detects changes on the branch of a git source action no trigger names', () => {
      const p = pipeline([]);
      expect(decideTrigger(p, git(push('refs/heads/main')), 'e').result.reason).toBe(
        'push to branch "main" matches change detection of source action "Checkout"',
      );
      expect(decideTrigger(p, git(push('refs/heads/dev')), 'e').result.reason).toBe(
        'push to branch "dev": the trigger has no filters, so it watches the source action\'s branch "main"; this push is to "dev"',
      );
    });

    it('reads the repository of a Git source from its GitHub URL', () => {
      const local = source('Code', 'Git', {
        RepositoryUrl: 'git@github.com:acme/web.git',
        BranchName: 'main',
      });
      const p = pipeline([], [local]);
      expect(decideTrigger(p, git(push('refs/heads/main')), 'e').result.matched).toBe(true);
      expect(
        decideTrigger(p, git({ ...push('refs/heads/main'), repository: 'x/y' }), 'e').result.matched,
      ).toBe(false);
    });

    it('does not detect changes when DetectChanges is false, and says no trigger takes git events', () => {
      const off = source('Checkout', 'CodeStarSourceConnection', {
        FullRepositoryId: 'acme/web',
        BranchName: 'main',
        DetectChanges: 'false',
      });
      expect(decideTrigger(pipeline([], [off]), git(push('refs/heads/main')), 'e').result).toEqual({
        triggerId: 'gh-1',
        matched: false,
        reason:
          'no trigger of this pipeline takes git events, and no git source action detects changes; add a git trigger',
      });
    });

    it('records a git notification that is no git event', () => {
      const d = decideTrigger(
        pipeline([]),
        {
          kind: 'git',
          provider: 'github',
          source: 'github:acme/web',
          triggerId: 'gh-2',
          at: AT,
          ignored: 'the push deletes refs/heads/x; deletions start nothing',
        },
        'e',
      );
      expect(d.start).toBeUndefined();
      expect(d.events[0].data).toMatchObject({
        triggerId: 'gh-2',
        matched: false,
        source: 'github:acme/web',
        reason: 'the push deletes refs/heads/x; deletions start nothing',
      });
    });
  });

  describe('EventBridge events', () => {
    const event: BusEvent = {
      id: 'ev-1',
      source: 'acme.releases',
      'detail-type': 'Release Approved',
      detail: { team: 'web', level: 3 },
    };
    const delivery = (e: BusEvent): TriggerDelivery => ({ kind: 'event', triggerId: e.id, at: AT, event: e });
    const eventTrigger: Trigger = {
      providerType: 'EventPattern',
      eventPattern: {
        pattern: { source: ['acme.releases'], detail: { team: ['web'], level: [{ numeric: ['>=', 2] }] } },
        variables: { ENV: 'prod' },
      },
    };

    it('starts with the trigger variables when the pattern matches', () => {
      const d = decideTrigger(pipeline([eventTrigger]), delivery(event), 'exec-9');
      expect(d.result).toEqual({
        triggerId: 'ev-1',
        matched: true,
        reason: 'event acme.releases "Release Approved" matches the event pattern of trigger 1',
        executionId: 'exec-9',
      });
      expect(d.start).toEqual({
        executionId: 'exec-9',
        variables: { ENV: 'prod' },
        trigger: {
          triggerType: 'CloudWatchEvent',
          triggerDetail: 'events:acme.releases/Release Approved ev-1',
        },
        actor: { kind: 'trigger', id: 'acme.releases' },
      });
    });

    it('names the field the event fails', () => {
      const d = decideTrigger(
        pipeline([eventTrigger]),
        delivery({ ...event, detail: { team: 'api', level: 3 } }),
        'e',
      );
      expect(d.result.reason).toBe(
        'the event pattern of trigger 1 does not match: detail.team is "api"; the pattern accepts ["web"]',
      );
      expect(d.start).toBeUndefined();
    });

    it('says so when no trigger takes EventBridge events', () => {
      expect(decideTrigger(pipeline([]), delivery(event), 'e').result.reason).toBe(
        'no trigger of this pipeline takes EventBridge events',
      );
    });
  });

  describe('schedules', () => {
    const schedule: Trigger = {
      providerType: 'Schedule',
      schedule: {
        expression: 'cron(0 9 ? * MON-FRI *)',
        timezone: 'Europe/Berlin',
        variables: { ENV: 'nightly' },
      },
    };
    const tick = (expression: string, timezone?: string): TriggerDelivery => ({
      kind: 'schedule',
      triggerId: `web-app:${expression}:${AT}`,
      at: AT,
      expression,
      ...(timezone ? { timezone } : {}),
    });

    it('matches the Schedule trigger with the tick expression and time zone', () => {
      const d = decideTrigger(
        pipeline([schedule]),
        tick('cron(0 9 ? * MON-FRI *)', 'Europe/Berlin'),
        'exec-3',
      );
      expect(d.result.reason).toBe(
        `schedule cron(0 9 ? * MON-FRI *) (Europe/Berlin) of trigger 1 fired at ${AT}`,
      );
      expect(d.start).toMatchObject({
        variables: { ENV: 'nightly' },
        trigger: { triggerType: 'Schedule', triggerDetail: 'cron(0 9 ? * MON-FRI *) (Europe/Berlin)' },
        actor: { kind: 'trigger', id: 'schedule' },
      });
    });

    it('refuses a tick of a schedule the pipeline no longer has', () => {
      expect(decideTrigger(pipeline([schedule]), tick('cron(0 9 ? * MON-FRI *)'), 'e').result.reason).toBe(
        'no Schedule trigger of this pipeline has cron(0 9 ? * MON-FRI *); its schedules: cron(0 9 ? * MON-FRI *) (Europe/Berlin)',
      );
      expect(decideTrigger(pipeline([]), tick('rate(1 hour)'), 'e').result.reason).toBe(
        'no Schedule trigger of this pipeline has rate(1 hour); it has no schedule',
      );
    });
  });

  it('gives the same event for the same delivery whatever the execution id', () => {
    const p = pipeline([]);
    const a = decideTrigger(p, git(push('refs/heads/dev')), 'one');
    const b = decideTrigger(p, git(push('refs/heads/dev')), 'two');
    expect(a.events).toEqual(b.events);
  });
});
