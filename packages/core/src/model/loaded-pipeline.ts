import type { Diagnostic } from './diagnostic.ts';
import type { Pipeline } from './pipeline.ts';
import type { SourceMap } from './source-map.ts';

/** Which document format a pipeline was loaded from. */
export type PipelineFormat = 'codepipeline' | 'cloudformation' | 'native';

/**
 * A pipeline as a loader produced it: the normalized model, where each part came from, and
 * the problems found while loading (malformed document, unresolved CloudFormation
 * intrinsics, …). Validation adds its own diagnostics on top.
 *
 * @example
 * ```ts
 * const [loaded] = loadPipelines(text, { file: 'pipeline.yaml' }).pipelines;
 * loaded.pipeline.stages.map((s) => s.name); // ['Source', 'Build']
 * ```
 */
export interface LoadedPipeline {
  pipeline: Pipeline;
  format: PipelineFormat;
  sourceMap: SourceMap;
  /** The file it came from, as the user named it. */
  file?: string;
  /** For CloudFormation: the logical id of the `AWS::CodePipeline::Pipeline` resource. */
  logicalId?: string;
  /** Model paths whose value is an unresolved CloudFormation intrinsic (`!Ref`, `!Sub`, …); validation skips pattern checks there. */
  unresolved: ReadonlyArray<readonly (string | number)[]>;
}

/** What loading one document gives: zero or more pipelines and every diagnostic found. */
export interface LoadResult {
  pipelines: LoadedPipeline[];
  diagnostics: Diagnostic[];
}
