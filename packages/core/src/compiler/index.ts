/**
 * The compiler: a pipeline model → one Step Functions definition (ASL, JSONata), as
 * docs/execution.md describes. Explicit named re-exports only.
 *
 * @example
 * ```ts
 * import { compilePipeline } from './compiler/index.ts';
 * const asl = compilePipeline(pipeline, { resources: { actionRunner: 'runner', stageGate: 'gate' } });
 * ```
 */
export type {
  AslBranch,
  AslCatcher,
  AslChoiceRule,
  AslChoiceState,
  AslDefinition,
  AslFailState,
  AslJson,
  AslParallelState,
  AslPassState,
  AslRetrier,
  AslState,
  AslSucceedState,
  AslTaskState,
} from './asl-types.ts';
export {
  type CompiledPipeline,
  type CompiledState,
  type CompiledStateKind,
  type CompileOptions,
  compilePipeline,
  compilePipelineWithStates,
  FAILED_STATE,
  FINISH_STATE,
  LAMBDA_RETRY,
  RETRYABLE_ERROR,
  START_STATE,
  SUCCEEDED_STATE,
} from './compile-pipeline.ts';
export { fnv1a32, MAX_STATE_NAME_LENGTH } from './state-names.ts';
export { actionTimeoutSeconds, FALLBACK_TIMEOUT_MINUTES } from './timeouts.ts';
