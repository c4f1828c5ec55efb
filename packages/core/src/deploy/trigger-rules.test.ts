import { describe, expect, it } from 'vitest';
import { matchEventPattern } from '../triggers/event-pattern.ts';
import { TRIGGER_DELIVERY_DETAIL_TYPE, TRIGGER_DELIVERY_SOURCE } from '../triggers/trigger-delivery.ts';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import {
  callbackRules,
  type TriggerInvocation,
  triggerInputTemplate,
  triggerRules,
  webhookRelayRule,
} from './trigger-rules.ts';

const connectionSource = action('Source', 'Source', 'CodeStarSourceConnection', {
  ConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abc',
  FullRepositoryId: 'acme/web',
  BranchName: 'main',
});

describe('triggerRules', () => {
  it('gives git triggers no rule of their own: their webhooks come relayed through one shared rule', () => {
    // Prepare
    const p = pipeline('web', [{ name: 'Source', actions: [connectionSource] }], {
      triggers: [
        {
          providerType: 'CodeStarSourceConnection',
          gitConfiguration: { sourceActionName: 'Source', push: [{ branches: { includes: ['release/*'] } }] },
        },
      ],
    });
    // Act
    const rules = triggerRules(p, NAMES);
    const relay = webhookRelayRule(NAMES);
    // Assess
    expect(rules).toEqual([]);
    expect(relay).toEqual({
      name: 'pipewright-prod-webhook-deliveries',
      description: 'Records webhook deliveries and starts the executions they match',
      eventBus: 'pipewright',
      eventPattern: { source: ['pipewright.webhook'], 'detail-type': ['Pipewright Trigger Delivery'] },
      target: 'trigger',
    });
    const relayed = {
      id: 'e-1',
      source: TRIGGER_DELIVERY_SOURCE,
      'detail-type': TRIGGER_DELIVERY_DETAIL_TYPE,
      detail: { pipeline: 'web', delivery: { kind: 'git', triggerId: 'd-1' } },
    };
    expect(matchEventPattern(relay.eventPattern, relayed)).toBe(true);
    expect(matchEventPattern(relay.eventPattern, { ...relayed, source: 'acme.deploys' })).toBe(false);
  });

  it('puts event-pattern triggers on both buses, in trigger order; schedules and git triggers get none', () => {
    const p = pipeline(
      'ops',
      [
        {
          name: 'Source',
          actions: [action('Repo', 'Source', 'CodeCommit', { RepositoryName: 'ops', BranchName: 'main' })],
        },
      ],
      {
        triggers: [
          { providerType: 'CodeStarSourceConnection', gitConfiguration: { sourceActionName: 'Repo' } },
          { providerType: 'Schedule', schedule: { expression: 'rate(1 hour)' } },
          { providerType: 'EventPattern', eventPattern: { pattern: { source: ['acme.deploys'] } } },
        ],
      },
    );
    const rules = triggerRules(p, NAMES);
    expect(rules.map((r) => [r.name, r.eventBus, r.triggerIndex])).toEqual([
      ['pipewright-prod-ops-trigger-3', 'pipewright', 2],
      ['pipewright-prod-ops-trigger-3-default', 'default', 2],
    ]);
    expect(rules[0]?.eventPattern).toEqual({ source: ['acme.deploys'] });
    expect(rules[1]?.inputTemplate).toBe(
      '{"kind":"event","pipeline":"ops","triggerIndex":2,"event":<aws.events.event.json>}',
    );
  });

  it('builds an input template that is JSON once EventBridge puts the event in', () => {
    const template = triggerInputTemplate('web-app', { triggerIndex: 2 });
    const event = { id: '1', source: 's', 'detail-type': 'd', detail: { a: 1 } };
    const delivered = JSON.parse(
      template.replace('<aws.events.event.json>', JSON.stringify(event)),
    ) as TriggerInvocation;
    expect(delivered).toEqual({ kind: 'event', pipeline: 'web-app', triggerIndex: 2, event });
  });
});

describe('callbackRules', () => {
  it('listens for finished builds of the runner and named projects, and abnormal execution ends', () => {
    const p = pipeline('web', [
      { name: 'Source', actions: [connectionSource] },
      {
        name: 'Build',
        actions: [action('B', 'Build', 'CodeBuild', { ProjectName: 'pkg-#{variables.flavour}' })],
      },
    ]);
    expect(callbackRules([p], NAMES)).toEqual([
      {
        name: 'pipewright-prod-codebuild-builds',
        description: 'Completes Pipewright actions and rules when their CodeBuild builds finish',
        eventBus: 'default',
        target: 'callback',
        eventPattern: {
          source: ['aws.codebuild'],
          'detail-type': ['CodeBuild Build State Change'],
          detail: {
            'project-name': ['pipewright-prod-runner', { wildcard: 'pkg-*' }],
            'build-status': [{ 'anything-but': ['IN_PROGRESS'] }],
          },
        },
      },
      {
        name: 'pipewright-prod-execution-status',
        description: 'Records Pipewright executions that failed, timed out or were aborted',
        eventBus: 'default',
        target: 'callback',
        eventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: {
            stateMachineArn: [
              { prefix: 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-' },
            ],
            status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          },
        },
      },
    ]);
    const noBuilds = pipeline('x', [{ name: 'A', actions: [action('Go', 'Approval', 'Manual')] }]);
    expect(callbackRules([noBuilds], NAMES).map((r) => r.name)).toEqual(['pipewright-prod-execution-status']);
  });
});
