/**
 * `@pipewright/providers`: action providers that really run on one machine. Explicit named
 * re-exports only.
 *
 * @example
 * ```ts
 * import { createLocalProviders, findLocalProvider } from '@pipewright/providers';
 * const provider = findLocalProvider('Build', 'Commands', createLocalProviders());
 * ```
 */
export { manualApprovalProvider } from './approval-manual.ts';
export { AWS_ONLY_PROVIDERS, type AwsOnlyAction, awsOnlyActions, awsOnlyProvider } from './aws-only.ts';
export {
  BUILDSPEC_PHASES,
  type Buildspec,
  type BuildspecArtifacts,
  BuildspecError,
  type BuildspecPhase,
  type BuildspecPhaseName,
  parseBuildspec,
} from './codebuild/buildspec.ts';
export { codeBuildProvider } from './codebuild.ts';
export { commandsProvider } from './commands.ts';
export { gitSourceProvider, type MappedSourceProvider, mappedSourceProvider } from './git-source.ts';
export {
  type LocalArtifactLocation,
  type LocalJobEvent,
  type LocalJobResult,
  lambdaInvokeProvider,
} from './lambda-invoke.ts';
export type { LocalProvidersOptions, S3EndpointOptions } from './options.ts';
export { failed, guardOutcome, ProviderFailure, succeeded } from './outcome.ts';
export { createLocalProviders, findLocalProvider } from './registry.ts';
export { zipDirectory } from './s3/zip-directory.ts';
export { s3DeployProvider } from './s3-deploy.ts';
export { commandLines } from './shell/command-lines.ts';
export {
  rewriteVariableReferences,
  VARIABLE_ENV_PREFIX,
  variableEnvironment,
  variableEnvironmentNames,
} from './shell/variable-environment.ts';
