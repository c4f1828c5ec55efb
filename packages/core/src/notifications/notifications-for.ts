/**
 * Routing: which of a pipeline's notification targets get which subjects, and the message
 * each of their channels gets (one email to all of a target's addresses, one POST to its
 * webhook).
 *
 * @example
 * ```ts
 * const messages = notificationsFor(pipeline, changes);
 * for (const m of messages) await (m.channel === 'email' ? email : webhook).send(m);
 * ```
 */
import { eventId } from '../events/event-envelope.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { matchesNotificationEvents, type NotificationEventName } from './notification-events.ts';
import type { NotificationSubject, OutgoingNotification } from './outgoing-notification.ts';
import { emailMessage, slackMessage } from './render-message.ts';

function facts(subject: NotificationSubject): {
  key: string;
  event: NotificationEventName;
  pipeline: string;
  executionId: string;
} {
  if ('kind' in subject) {
    return {
      key: subject.approvalId,
      event: 'approval.requested',
      pipeline: subject.pipeline,
      executionId: subject.executionId,
    };
  }
  return {
    key: subject.event.id,
    event: subject.name,
    pipeline: subject.event.detail.pipeline,
    executionId: subject.event.detail['execution-id'],
  };
}

/**
 * The messages for subjects, per the pipeline's `notifications` targets and their `events`
 * filters (default: execution state changes and approval requests). A target with emails
 * gets one email per subject; with a webhook URL, one Slack-compatible body. Subjects of
 * another pipeline are ignored.
 *
 * @example
 * ```ts
 * notificationsFor({ ...pipeline, notifications: [{ webhookUrl: 'https://hooks.example.com/x', events: ['execution.failed'] }] }, changes)
 *   .map((m) => m.event); // ['execution.failed']
 * ```
 */
export function notificationsFor(
  pipeline: Pipeline,
  subjects: readonly NotificationSubject[],
): OutgoingNotification[] {
  const targets = pipeline.notifications ?? [];
  const out: OutgoingNotification[] = [];
  for (const subject of subjects) {
    const f = facts(subject);
    if (f.pipeline !== pipeline.name) continue;
    targets.forEach((target, index) => {
      if (!matchesNotificationEvents(target.events, f.event)) return;
      const base = { event: f.event, pipeline: f.pipeline, executionId: f.executionId, target: index };
      const emails = (target.emails ?? []).filter((e) => e.trim() !== '');
      if (emails.length > 0) {
        out.push({
          ...base,
          channel: 'email',
          id: eventId([f.key, f.event, index, 'email']),
          to: emails,
          ...emailMessage(subject),
        });
      }
      if (target.webhookUrl !== undefined && target.webhookUrl !== '') {
        out.push({
          ...base,
          channel: 'webhook',
          id: eventId([f.key, f.event, index, 'webhook']),
          url: target.webhookUrl,
          body: slackMessage(subject),
        });
      }
    });
  }
  return out;
}
