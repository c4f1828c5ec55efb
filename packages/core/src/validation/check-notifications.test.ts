import { describe, expect, it } from 'vitest';
import type { NotificationTarget } from '../model/pipeline.ts';
import { codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

function withTargets(...targets: NotificationTarget[]) {
  const p = validPipeline();
  p.notifications = targets;
  return p;
}

describe('checkNotifications', () => {
  it('accepts email and webhook targets with events of the vocabulary', () => {
    const p = withTargets(
      { emails: ['ops@example.com'], events: ['execution.failed', 'approval.requested'] },
      { webhookUrl: 'https://hooks.slack.com/services/T0/B0/x', events: ['stage.*', 'action.failed', '*'] },
      { emails: ['lead@example.com'], webhookUrl: 'http://127.0.0.1:9000/hook' },
    );
    expect(codes(p)).toEqual([]);
  });

  it('names an unknown event and suggests the closest one', () => {
    expect(
      messagesOf(
        withTargets({ emails: ['ops@example.com'], events: ['Pipeline.FAILED'] }),
        'unknown-notification-event',
      ),
    ).toEqual([
      expect.stringMatching(
        /^notifications\/0\/events\/0: unknown event "Pipeline\.FAILED"; did you mean "execution\.failed"\?/,
      ),
    ]);
  });

  it('refuses a target with nowhere to send, and an empty events list', () => {
    expect(codes(withTargets({ events: ['execution.failed'] }))).toEqual(['empty-notification-target']);
    expect(codes(withTargets({ emails: ['ops@example.com'], events: [] }))).toEqual([
      'empty-notification-events',
    ]);
  });

  it('refuses an address that is not an email and a webhook that is not an http(s) URL', () => {
    expect(codes(withTargets({ emails: ['ops'], webhookUrl: 'hooks.example.com/x' }))).toEqual([
      'invalid-notification-email',
      'invalid-webhook-url',
    ]);
    expect(codes(withTargets({ webhookUrl: 'ftp://example.com/x' }))).toEqual(['invalid-webhook-url']);
  });
});
