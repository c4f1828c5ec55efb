/**
 * Variables: `#{Namespace.Name}` references, their resolution, pipeline-level variables.
 *
 * @example
 * ```ts
 * import { parseVariableReferences } from './variables/index.ts';
 * parseVariableReferences('#{codepipeline.PipelineExecutionId}')[0]?.name; // 'PipelineExecutionId'
 * ```
 */
export { didYouMean } from './did-you-mean.ts';
export { MAX_PIPELINE_VARIABLE_VALUE_LENGTH, resolvePipelineVariables } from './pipeline-variables.ts';
export {
  resolveConfiguration,
  resolveReference,
  resolveVariables,
  type VariableContext,
} from './resolve-variables.ts';
export {
  CODEPIPELINE_NAMESPACE,
  CODEPIPELINE_VARIABLES,
  findMalformedReferences,
  type MalformedReference,
  NAMESPACE_PATTERN,
  PIPELINE_VARIABLES_NAMESPACE,
  parseVariableReferences,
  VARIABLE_NAME_PATTERN,
  type VariableReference,
} from './variable-reference.ts';
