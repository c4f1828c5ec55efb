/**
 * `@pipewright/core`: the pure heart of Pipewright. No I/O, no AWS SDK; time and ids are
 * passed in. Explicit named re-exports only.
 */
export {
  CompileError,
  EventFoldError,
  PipelineInvalidError,
  PipewrightError,
  type PipewrightErrorOptions,
  VariableResolutionError,
} from './errors.ts';
export { type Diagnostic, formatDiagnostic, hasErrors, type SourceLocation } from './model/diagnostic.ts';
export type { LoadedPipeline, LoadResult, PipelineFormat } from './model/loaded-pipeline.ts';
export { formatPath, type Path } from './model/path.ts';
export {
  ACTION_CATEGORIES,
  ACTION_OWNERS,
  type Action,
  type ActionCategory,
  type ActionOwner,
  type ActionTypeId,
  type ArtifactRef,
  type ArtifactStore,
  type Condition,
  type ConditionResult,
  type EnvironmentVariable,
  EXECUTION_MODES,
  type ExecutionMode,
  type FailureConditions,
  type GitPullRequestFilter,
  type GitPushFilter,
  type GlobFilter,
  type NotificationTarget,
  PIPELINE_TYPES,
  type Pipeline,
  type PipelineType,
  type PipelineVariable,
  PULL_REQUEST_EVENTS,
  type PullRequestEvent,
  type Rule,
  type Stage,
  type StageConditions,
  type Trigger,
} from './model/pipeline.ts';
export { EMPTY_SOURCE_MAP, type SourceMap } from './model/source-map.ts';
