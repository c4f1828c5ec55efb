/** `@pipewright/engine`: use cases over ports and the action-provider interface. Explicit named re-exports only. */
export type {
  ActionFailureType,
  ActionInput,
  ActionLog,
  ActionOutcome,
  ActionProvider,
  ActionRun,
} from './action-provider.ts';
export { type ApprovalLinkCheck, signApprovalLink, verifyApprovalLink } from './approval-link.ts';
export { backOffAfterConflict, MAX_CONFLICT_ROUNDS } from './conflict-backoff.ts';
export { createEngine, Engine } from './engine.ts';
export type { EngineOptions } from './engine-context.ts';
export { UnknownExecutionError, UnknownPipelineError } from './errors.ts';
export type { PipelineSource } from './execution-log.ts';
export { forEachLimited } from './for-each-limited.ts';
export { decideOnPipelineStream, type PipelineStreamRead, readPipelineStream } from './pipeline-stream.ts';
export { definitionSha256, pipelineDefinition, recordPipelineVersion } from './pipeline-versions.ts';
export type { ActionLogRef, ActionLogStore, ActionLogWriter } from './ports/action-log-store.ts';
export type { ArtifactStore, PutDirectoryOptions, StoredArtifact } from './ports/artifact-store.ts';
export type { Notifier } from './ports/notifier.ts';
export type { Orchestrator, TaskSendResult } from './ports/orchestrator.ts';
export { MemoryTaskTokens, type TaskTokenStore, taskKey } from './ports/task-tokens.ts';
export { type ExecutionRead, readExecution } from './read-execution.ts';
export {
  type ApprovalRequest,
  actionResultOf,
  approvalIdFor,
  executionOfApproval,
} from './run-action-attempt.ts';
export { type SelectedArtifactEntry, selectArtifactFiles } from './select-artifact-files.ts';
export {
  type DeliverOptions,
  type MissedDeliveries,
  TriggerDispatcher,
  type TriggerDispatcherOptions,
  type TriggeredStart,
} from './trigger-dispatcher.ts';
export { type ArtifactEntryShape, unsafeArtifactLink } from './unsafe-artifact-link.ts';
export { type ApprovalDecisionRequest, recordApprovalDecision } from './use-cases/approve.ts';
export type { CompleteActionRequest } from './use-cases/complete-action.ts';
export type { OverrideConditionInput } from './use-cases/override-condition.ts';
export { automatedRollbackId, type RollbackStageInput, type RollbackStarted } from './use-cases/rollback.ts';
export type { SettleReport } from './use-cases/settle.ts';
export type { StartRequest } from './use-cases/start.ts';
