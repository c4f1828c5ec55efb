/**
 * `@pipewright/core`: the pure heart of Pipewright. No I/O, no AWS SDK; time and ids are
 * passed in. Explicit named re-exports only.
 *
 * @example
 * ```ts
 * import { compilePipeline, loadPipelines, validatePipeline } from '@pipewright/core';
 * const [loaded] = loadPipelines(text, { file: 'pipeline.yaml' }).pipelines;
 * if (loaded && validatePipeline(loaded).length === 0) compilePipeline(loaded.pipeline, { resources });
 * ```
 */

export {
  type AslDefinition,
  type AslState,
  type AslTaskState,
  actionTimeoutSeconds,
  compilePipeline,
  RETRYABLE_ERROR,
} from './compiler/index.ts';
export { estimateCost, formatCostTable } from './cost/index.ts';
export {
  type ActionRef,
  type ActionResult,
  type ActionToRun,
  type ApprovalDecisionInput,
  checkRollbackStage,
  checkRollbackTarget,
  conditionRulesToRun,
  type Decision,
  decideAction,
  decideActionOutcome,
  decideApproval,
  decideDisableTransition,
  decideEnableTransition,
  decideFinish,
  decideInProgress,
  decideOrchestratorEnd,
  decidePoll,
  decideRetryLock,
  decideRetryStage,
  decideRolledBack,
  decideStageEntry,
  decideStageExit,
  decideStageFailed,
  decideStageLock,
  decideStageRelease,
  decideStart,
  decideStop,
  decideStopped,
  decideTransitionGate,
  failureEvaluatesConditions,
  isClosed,
  type LockDecision,
  lockedStage,
  MAX_POLL_DELAY_SECONDS,
  type NewExecutionEvent,
  type NewPipelineEvent,
  type OrchestratorEnd,
  parseTaskPayload,
  type RetryStageInput,
  type RuleOutcome,
  type RuleToRun,
  replyFor,
  retryLockStage,
  rollbackLookupView,
  rollbackSkipsStage,
  type StageFailurePolicy,
  type StopInput,
  stageConditions,
  stageNamed,
  type TaskPayloadOf,
  type TaskReply,
  TRANSITION_REASON_MAX,
  type TransitionChange,
  type TransitionDisable,
  transitionOf,
} from './decisions/index.ts';
export {
  ConcurrencyConflictError,
  ExecutionStateError,
  InvalidCursorError,
  PipelineInvalidError,
  PipewrightError,
  type PipewrightErrorOptions,
  VariableResolutionError,
} from './errors.ts';
export {
  type ApprovalRequested,
  type Artifact,
  actionProgress,
  type ConditionType,
  type EventActor,
  type ExecutionTrigger,
  executionFailed,
  executionSucceeded,
  executionSuperseded,
  isKnownEvent,
  parseEvent,
  parseStoredEvent,
  pipelineExecutionStarted,
  pipelineVersionCreated,
  RETRY_MODES,
  type SourceRevision,
  type StoredEvent,
  stageConditionOverridden,
  stageWaiting,
  TRIGGER_TYPES,
  transitionDisabled,
  triggerReceived,
} from './events/index.ts';
export { loadPipelines } from './loaders/index.ts';
export { type Diagnostic, formatDiagnostic, hasErrors } from './model/diagnostic.ts';
export type { LoadedPipeline, PipelineFormat } from './model/loaded-pipeline.ts';
export { formatPath, type Path } from './model/path.ts';
export type {
  Action,
  ActionCategory,
  Condition,
  ExecutionMode,
  NotificationTarget,
  Pipeline,
  Rule,
  Stage,
  Trigger,
} from './model/pipeline.ts';
export {
  type ApprovalNotice,
  advanceStateChanges,
  type CodePipelineStateChangeEvent,
  type EmailNotification,
  notificationsFor,
  type OutgoingNotification,
  STATE_CHANGE_DETAIL_TYPES,
  type StateChange,
  type WebhookNotification,
} from './notifications/index.ts';
export {
  type AppendOptions,
  type AppendResult,
  type EventRecord,
  type EventStore,
  type ExecutionListEntry,
  type ExecutionPage,
  executionStream,
  type ListExecutionsOptions,
  type NewEventRecord,
  pipelineStream,
} from './ports/event-store.ts';
export {
  type ActionAttemptView,
  type ActionState,
  type ActionView,
  type ApprovalView,
  EXECUTION_STATUSES,
  type ExecutionStatus,
  type ExecutionSummary,
  type ExecutionView,
  foldExecution,
  foldExecutionFrom,
  foldPipelineState,
  foldPipelineStream,
  initialExecutionView,
  type NotStarted,
  type PipelineStreamView,
  type StageState,
  type StageView,
  summarizeExecution,
  type TransitionState,
  type TriggerView,
} from './projections/index.ts';
export {
  DEFAULT_IMAGE_DEFINITIONS_FILE,
  ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES,
  findProvider,
  GIT_SOURCE_VARIABLES,
  MAX_ECS_IMAGES,
  PROVIDERS,
} from './providers/index.ts';
export {
  type BusEvent,
  decideTrigger,
  fromGitHubWebhook,
  type GitDelivery,
  matchEventPattern,
  nextFireTimes,
  parseScheduleExpression,
  polledSourceEvent,
  recordedTrigger,
  type ScheduleDelivery,
  sourcePolls,
  TRIGGER_DELIVERY_DETAIL_TYPE,
  TRIGGER_DELIVERY_SOURCE,
  type TriggerDelivery,
  type TriggerResult,
} from './triggers/index.ts';
export { validatePipeline } from './validation/index.ts';
export { resolveVariables, type VariableContext } from './variables/index.ts';
