import { describe, expect, it } from 'vitest';
import {
  matchesNotificationEvents,
  NOTIFICATION_EVENTS,
  notificationEventProblem,
} from './notification-events.ts';

describe('matchesNotificationEvents', () => {
  it('takes execution changes and approval requests when the target names no events', () => {
    expect(matchesNotificationEvents(undefined, 'execution.failed')).toBe(true);
    expect(matchesNotificationEvents(undefined, 'approval.requested')).toBe(true);
    expect(matchesNotificationEvents(undefined, 'action.started')).toBe(false);
    expect(matchesNotificationEvents(undefined, 'stage.failed')).toBe(false);
  });

  it('takes exact names, level wildcards and *', () => {
    expect(matchesNotificationEvents(['action.failed'], 'action.failed')).toBe(true);
    expect(matchesNotificationEvents(['action.failed'], 'action.succeeded')).toBe(false);
    expect(matchesNotificationEvents(['stage.*'], 'stage.resumed')).toBe(true);
    expect(matchesNotificationEvents(['stage.*'], 'execution.resumed')).toBe(false);
    expect(matchesNotificationEvents(['*'], 'action.abandoned')).toBe(true);
    expect(matchesNotificationEvents([], 'execution.failed')).toBe(false);
  });
});

describe('notificationEventProblem', () => {
  it('accepts every name of the vocabulary and the wildcards', () => {
    for (const name of [...NOTIFICATION_EVENTS, '*', 'execution.*', 'stage.*', 'action.*']) {
      expect(notificationEventProblem(name)).toBeUndefined();
    }
  });

  it('suggests the closest name for a typo or a CodePipeline-style name', () => {
    expect(notificationEventProblem('execution.fialed')).toMatch(/did you mean "execution\.failed"\?/);
    expect(notificationEventProblem('Pipeline.FAILED')).toMatch(/did you mean "execution\.failed"\?/);
    expect(notificationEventProblem('approval.needed')).toMatch(
      /^unknown event "approval\.needed"; .*approval\.requested/,
    );
  });

  it('names CodePipeline states only where CodePipeline has them', () => {
    expect(notificationEventProblem('stage.superseded')).toMatch(/unknown event/);
    expect(notificationEventProblem('action.resumed')).toMatch(/unknown event/);
  });
});
