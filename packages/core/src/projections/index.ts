/**
 * Projections: pure folds of event streams into views (execution, pipeline state, list rows).
 *
 * @example
 * ```ts
 * import { foldExecution, summarizeExecution } from './projections/index.ts';
 * const row = summarizeExecution(foldExecution(events, pipeline));
 * ```
 */
export {
  ACTION_STATUSES,
  type ActionAttemptView,
  type ActionStatus,
  type ActionView,
  type ApprovalView,
  type ArtifactView,
  type ConditionView,
  EXECUTION_STATUSES,
  type ExecutionStatus,
  type ExecutionView,
  initialExecutionView,
  type NotStarted,
  type OperatorActionView,
  STAGE_STATUSES,
  type StageRetryView,
  type StageStatus,
  type StageView,
} from './execution-view.ts';
export { applyExecutionEvent, foldExecution, foldExecutionFrom } from './fold-execution.ts';
export {
  type ActionState,
  type ExecutionRef,
  foldPipelineState,
  type PipelineState,
  type StageState,
} from './pipeline-state.ts';
export {
  foldPipelineStream,
  type PipelineStreamView,
  RECENT_TRIGGERS_KEPT,
  type StageLockState,
  type TransitionState,
  type TriggerView,
  triggerView,
} from './pipeline-stream-view.ts';
export { type ExecutionSummary, summarizeExecution } from './summarize-execution.ts';
