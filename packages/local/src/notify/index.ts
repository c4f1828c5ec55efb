/**
 * Local notifications: email over SMTP, Slack-compatible webhooks, the in-process event bus
 * carrying CodePipeline's state-change events, and the runtime hooks that drive them.
 *
 * @example
 * ```ts
 * import { createLocalNotifications, LocalEventBus, SmtpNotifier, WebhookNotifier } from './notify/index.ts';
 * ```
 */
export { NotificationDeliveryError } from './errors.ts';
export { type BusEvent, type BusListener, LocalEventBus } from './local-event-bus.ts';
export {
  createLocalNotifications,
  type LocalNotifications,
  type LocalNotificationsOptions,
} from './local-notifications.ts';
export { SmtpNotifier } from './smtp-notifier.ts';
export { WebhookNotifier, type WebhookNotifierOptions } from './webhook-notifier.ts';
