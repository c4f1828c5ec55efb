/**
 * Notifications: CodePipeline's EventBridge state-change events projected from the event
 * log, the `events` filter vocabulary of notification targets, and the email and
 * Slack-compatible messages each target gets.
 *
 * @example
 * ```ts
 * import { advanceStateChanges, notificationsFor } from './notifications/index.ts';
 * const { view, changes } = advanceStateChanges(previous, batch, pipeline, { region: 'local', account: '000000000000' });
 * const messages = notificationsFor(pipeline, changes);
 * ```
 */
export {
  ACTION_EXECUTION_STATES,
  type ActionExecutionState,
  DEFAULT_NOTIFICATION_EVENTS,
  matchesNotificationEvents,
  NOTIFICATION_EVENT_WILDCARDS,
  NOTIFICATION_EVENTS,
  type NotificationEventName,
  notificationEventProblem,
  PIPELINE_EXECUTION_STATES,
  type PipelineExecutionState,
  STAGE_EXECUTION_STATES,
  type StageExecutionState,
} from './notification-events.ts';
export { notificationsFor } from './notifications-for.ts';
export type {
  ApprovalNotice,
  EmailNotification,
  NotificationSubject,
  OutgoingNotification,
  SlackBlock,
  SlackMessage,
  WebhookNotification,
} from './outgoing-notification.ts';
export { emailMessage, slackMessage } from './render-message.ts';
export {
  type ActionExecutionStateChangeDetail,
  advanceStateChanges,
  CODEPIPELINE_EVENT_SOURCE,
  type CodePipelineStateChangeEvent,
  type PipelineExecutionStateChangeDetail,
  STATE_CHANGE_DETAIL_TYPES,
  type StageExecutionStateChangeDetail,
  type StateChange,
  type StateChangeArtifact,
  type StateChangeDetailBase,
  type StateChangeOptions,
  stateChangeEvents,
} from './state-change-events.ts';
