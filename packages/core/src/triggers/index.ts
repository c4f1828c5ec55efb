/**
 * Triggers: git filters (CodePipeline semantics), EventBridge schedule expressions, EventBridge
 * event-pattern matching and validation, and coarse patterns routing events to triggers.
 *
 * @example
 * ```ts
 * import { matchTrigger, parseScheduleExpression } from './triggers/index.ts';
 * parseScheduleExpression('cron(0 9 ? * MON-FRI *)').ok; // true
 * ```
 */
export { cidrContains, parseCidr } from './cidr.ts';
export { cronerPattern } from './cron-translate.ts';
export {
  decideTrigger,
  type TriggerDecision,
  type TriggerStart,
} from './decide-trigger.ts';
export { matchEventPattern } from './event-pattern.ts';
export {
  eventPatternForTrigger,
  GIT_DETAIL_TYPES,
  GIT_EVENT_SOURCE,
  type GitBusOptions,
  globLiteralPrefix,
  toGitBusEvent,
} from './event-pattern-for-trigger.ts';
export { explainEventMismatch } from './explain-event-mismatch.ts';
export {
  type GitEvent,
  type GitPullRequestEvent,
  type GitPushEvent,
  type ParsedRef,
  parseRef,
} from './git-event.ts';
export {
  type GitTriggerSource,
  gitTriggerSources,
  sourceRepository,
} from './git-trigger-sources.ts';
export {
  fromGitHubWebhook,
  GITHUB_PUSH_COMMIT_LIMIT,
  type GitHubWebhookResult,
} from './github-webhook.ts';
export { compileGlob, type GlobCompileResult, globMatch, validateGlob } from './glob.ts';
export { type MatchTriggerOptions, matchTrigger, type TriggerMatch } from './match-trigger.ts';
export { nextFireTimes } from './next-fire-times.ts';
export {
  type CronFields,
  type CronSchedule,
  type ParsedSchedule,
  parseScheduleExpression,
  type RateSchedule,
} from './schedule-expression.ts';
export {
  POLL_DETAIL_TYPE,
  POLL_SOURCE,
  polledSourceEvent,
  type SourceChangeTrigger,
  type SourcePoll,
  sourceChangeTriggers,
  sourcePolls,
} from './source-change-events.ts';
export {
  type BusEvent,
  type EventDelivery,
  type GitDelivery,
  type IgnoredGitDelivery,
  recordedTrigger,
  type ScheduleDelivery,
  TRIGGER_DELIVERY_DETAIL_TYPE,
  TRIGGER_DELIVERY_SOURCE,
  type TriggerDelivery,
  type TriggerResult,
} from './trigger-delivery.ts';
export { validateEventPattern } from './validate-event-pattern.ts';
