/**
 * Triggers of the local server: delivering webhooks, bus events and schedule ticks to pipelines,
 * the schedule timers, and webhook secrets.
 *
 * @example
 * ```ts
 * import { LocalScheduler, TriggerDispatcher } from './triggers/index.ts';
 * ```
 */
export {
  LocalScheduler,
  type LocalSchedulerOptions,
  nextTick,
  type ScheduledTrigger,
  scheduleTriggerId,
} from './local-scheduler.ts';
export {
  TriggerDispatcher,
  type TriggerDispatcherOptions,
  type TriggeredStart,
} from './trigger-dispatcher.ts';
export { webhookSecret, webhookSecretFile } from './webhook-secret.ts';
