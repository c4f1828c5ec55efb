/**
 * The notifier port: delivers one notification message (an email, or a Slack-compatible
 * body POSTed to a webhook). Adapters: SMTP and HTTP webhooks (local), SNS (AWS).
 * Which messages to send is the core's `notificationsFor`; a notifier only delivers.
 *
 * @example
 * ```ts
 * const notifier: Notifier = { async send(message) { console.log(message.channel, message.event); } };
 * for (const m of notificationsFor(pipeline, changes)) await notifier.send(m);
 * ```
 */
import type { OutgoingNotification } from '@pipewright/core';

/** Delivers notifications. A rejection means the message was not delivered. The email adapters (SMTP, SNS) run `test/contracts/notifier.contract.ts`. */
export interface Notifier {
  /** Delivers one message; a notifier may ignore channels it does not serve. */
  send(message: OutgoingNotification): Promise<void>;
}
