/** Small pipeline builders for tests that run pipelines of fake actions (shared with package tests). */
export { fakeAction, testPipeline } from '@pipewright/core/testing';
