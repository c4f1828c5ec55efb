import { describe, expect, it } from 'vitest';
import { approvalSubscriptions, NOTIFICATION_TARGET_ATTRIBUTE } from './approval-subscriptions.ts';
import { action, pipeline } from './deploy.test-helper.ts';

const stages = [{ name: 'A', actions: [action('Go', 'Approval', 'Manual')] }];

describe('approvalSubscriptions', () => {
  it('subscribes each address once, filtered to the targets that list it', () => {
    const p = pipeline('web', stages, {
      notifications: [
        { emails: ['lead@example.com', ' ops@example.com '], events: ['approval.requested'] },
        { webhookUrl: 'https://hooks.example.com/x' },
        { emails: ['OPS@example.com', 'dev@example.com', ''], events: ['execution.failed'] },
      ],
    });
    expect(approvalSubscriptions(p)).toEqual([
      { email: 'lead@example.com', targets: [0], filterPolicy: { target: ['0'] } },
      { email: 'ops@example.com', targets: [0, 2], filterPolicy: { target: ['0', '2'] } },
      { email: 'dev@example.com', targets: [2], filterPolicy: { target: ['2'] } },
    ]);
    expect(NOTIFICATION_TARGET_ATTRIBUTE).toBe('target');
  });

  it('is empty without email targets', () => {
    expect(approvalSubscriptions(pipeline('web', stages))).toEqual([]);
    expect(
      approvalSubscriptions(pipeline('web', stages, { notifications: [{ webhookUrl: 'https://x' }] })),
    ).toEqual([]);
  });
});
