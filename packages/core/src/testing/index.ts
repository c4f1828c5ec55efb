/** `@pipewright/core/testing`: builders for tests. Explicit named re-exports only. */
export { fakeAction, testPipeline } from './fake-pipeline.ts';
export {
  type GeneratedPipelineFile,
  type GeneratedPipelineOptions,
  generatedPipelineFiles,
} from './generated-pipelines.ts';
