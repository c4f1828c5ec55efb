/**
 * Notification targets (a Pipewright extension): each has an email address or a webhook URL,
 * addresses look like addresses, the webhook is an http(s) URL, and `events` names only
 * events of the notification vocabulary (`execution.failed`, `approval.requested`, `stage.*`…).
 *
 * @example
 * ```ts
 * checkNotifications(ctx); // notifications[0].events[1]: unknown event "Pipeline.FAILED"; did you mean "execution.failed"? …
 * ```
 */
import { notificationEventProblem } from '../notifications/notification-events.ts';
import { arr } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return new URL(text).hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Checks the pipeline's `notifications` targets.
 *
 * @example
 * ```ts
 * const ctx = new ValidationContext(loaded);
 * checkNotifications(ctx);
 * ctx.diagnostics.map((d) => d.code); // ['invalid-webhook-url']
 * ```
 */
export function checkNotifications(ctx: ValidationContext): void {
  arr(ctx.pipeline.notifications).forEach((target, i) => {
    const at = ['notifications', i];
    if (ctx.isUnresolved(at)) return;
    const emails = arr(target.emails);
    if (emails.length === 0 && (target.webhookUrl === undefined || target.webhookUrl === '')) {
      ctx.error(
        'empty-notification-target',
        at,
        'the notification target has neither emails nor webhookUrl; add one of them or remove the target',
      );
    }
    emails.forEach((email, j) => {
      const path = [...at, 'emails', j];
      if (!ctx.isUnresolved(path) && (typeof email !== 'string' || !EMAIL.test(email.trim())))
        ctx.error(
          'invalid-notification-email',
          path,
          `"${String(email)}" is not an email address; write it as name@example.com`,
        );
    });
    const url = target.webhookUrl;
    const urlPath = [...at, 'webhookUrl'];
    if (url !== undefined && !ctx.isUnresolved(urlPath) && (typeof url !== 'string' || !isHttpUrl(url)))
      ctx.error(
        'invalid-webhook-url',
        urlPath,
        `"${String(url)}" is not an http(s) URL; give the full webhook address, e.g. https://hooks.slack.com/services/…`,
      );
    if (target.events === undefined) return;
    const events = arr(target.events);
    if (events.length === 0) {
      ctx.error(
        'empty-notification-events',
        [...at, 'events'],
        'events lists nothing, so the target would never be notified; name events (e.g. execution.failed) or remove events for the default (execution.*, approval.requested)',
      );
    }
    events.forEach((name, j) => {
      const problem = notificationEventProblem(String(name));
      if (problem !== undefined) ctx.error('unknown-notification-event', [...at, 'events', j], problem);
    });
  });
}
