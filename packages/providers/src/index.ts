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
export { AWS_ONLY_PROVIDERS, type AwsOnlyAction, awsOnlyActions } from './aws-only.ts';
export { parseBuildspec } from './codebuild/buildspec.ts';
export { codeBuildProvider } from './codebuild.ts';
export { commandsProvider } from './commands.ts';
export type { LocalProvidersOptions } from './options.ts';
export { failed, guardOutcome, ProviderFailure, succeeded } from './outcome.ts';
export { createLocalProviders } from './registry.ts';
export { zipDirectory } from './s3/zip-directory.ts';
export { commandLines } from './shell/command-lines.ts';
export { variableEnvironment } from './shell/variable-environment.ts';
