/**
 * Loaders: CodePipeline declarations, CloudFormation templates and native YAML → the model.
 *
 * @example
 * ```ts
 * import { loadPipelines } from './loaders/index.ts';
 * const { pipelines, diagnostics } = loadPipelines(text, { file: 'pipeline.yaml' });
 * ```
 */
export { detectFormat } from './detect-format.ts';
export { INTRINSIC_TAGS, Intrinsic } from './intrinsic.ts';
export { type LoadOptions, loadPipelines, PIPELINE_RESOURCE_TYPE } from './load-pipelines.ts';
export { NATIVE_PIPELINE_SCHEMA, nativePipelineJsonSchema } from './native-schema.ts';
