/**
 * Triggers of the local server: delivering webhooks, bus events and schedule ticks to pipelines,
 * the schedule timers, the poller of local git repositories, and webhook secrets.
 *
 * @example
 * ```ts
 * import { LocalScheduler, TriggerDispatcher } from './triggers/index.ts';
 * ```
 */

export {
  TriggerDispatcher,
  type TriggerDispatcherOptions,
  type TriggeredStart,
} from '@pipewright/engine';
export {
  DEFAULT_POLL_INTERVAL_MS,
  GitPoller,
  type GitPollerOptions,
  type PolledPipeline,
} from './git-poller.ts';
export {
  LocalScheduler,
  type LocalSchedulerOptions,
  nextTick,
  type ScheduledTrigger,
  scheduleTriggerId,
} from './local-scheduler.ts';
export { type PolledSource, polledSources } from './polled-sources.ts';
export { webhookSecret, webhookSecretFile } from './webhook-secret.ts';
