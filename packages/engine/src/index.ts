/** `@pipewright/engine`: use cases over ports and the action-provider interface. Explicit named re-exports only. */
export type {
  ActionCancelRequest,
  ActionFailureType,
  ActionInput,
  ActionLog,
  ActionOutcome,
  ActionProvider,
  ActionRun,
} from './action-provider.ts';
export { signApprovalLink, verifyApprovalLink } from './approval-link.ts';
export { createEngine, Engine } from './engine.ts';
export type { EngineOptions } from './engine-context.ts';
export { UnknownExecutionError, UnknownPipelineError } from './errors.ts';
export type { PipelineSource } from './execution-log.ts';
export { extractionTargets } from './extraction-targets.ts';
export { forEachLimited } from './for-each-limited.ts';
export { decideOnPipelineStream, readPipelineStream } from './pipeline-stream.ts';
export { pipelineDefinition, recordPipelineVersion } from './pipeline-versions.ts';
export {
  type ActionLogRef,
  type ActionLogStore,
  type ActionLogWriter,
  prefixSystemLines,
} from './ports/action-log-store.ts';
export type { ArtifactStore, PutDirectoryOptions, StoredArtifact } from './ports/artifact-store.ts';
export type { Notifier } from './ports/notifier.ts';
export type { Orchestrator, TaskSendResult } from './ports/orchestrator.ts';
export { MemoryTaskTokens, type TaskTokenStore, taskKey } from './ports/task-tokens.ts';
export { type ExecutionRead, readExecution } from './read-execution.ts';
export { type ApprovalRequest, executionOfApproval } from './run-action-attempt.ts';
export { selectArtifactFiles } from './select-artifact-files.ts';
export {
  type MissedDeliveries,
  TriggerDispatcher,
  type TriggerDispatcherOptions,
  type TriggeredStart,
} from './trigger-dispatcher.ts';
export { unsafeArtifactLink, withoutUnsafeLinks } from './unsafe-artifact-link.ts';
export { recordApprovalDecision } from './use-cases/approve.ts';
export { automatedRollbackId, type RollbackStageInput, type RollbackStarted } from './use-cases/rollback.ts';
export type { SettleReport } from './use-cases/settle.ts';
