/**
 * The set of providers that carry out actions on one machine.
 *
 * @example
 * ```ts
 * const providers = createLocalProviders({ repositories: { MyRepo: './repos/my-repo' } });
 * const commands = findLocalProvider('Build', 'Commands', providers);
 * ```
 */
import type { ActionCategory } from '@pipewright/core';
import type { ActionProvider } from '@pipewright/engine';
import { manualApprovalProvider } from './approval-manual.ts';
import { AWS_ONLY_PROVIDERS, awsOnlyProvider } from './aws-only.ts';
import { codeBuildProvider } from './codebuild.ts';
import { commandsProvider } from './commands.ts';
import { gitSourceProvider, mappedSourceProvider } from './git-source.ts';
import { lambdaInvokeProvider } from './lambda-invoke.ts';
import type { LocalProvidersOptions } from './options.ts';
import { s3DeployProvider } from './s3-deploy.ts';

/**
 * Every local provider: Source Git (+ CodeCommit, CodeStarSourceConnection, GitHub through the
 * repository mapping), Commands, CodeBuild, Manual approval, Lambda, Deploy S3, and the
 * AWS-only providers that fail with a clear configuration error.
 *
 * @example
 * ```ts
 * createLocalProviders().map((p) => p.provider); // ['Git', 'CodeCommit', …]
 * ```
 */
export function createLocalProviders(options: LocalProvidersOptions = {}): ActionProvider[] {
  return [
    gitSourceProvider(options),
    mappedSourceProvider('CodeCommit', options),
    mappedSourceProvider('CodeStarSourceConnection', options),
    mappedSourceProvider('GitHub', options),
    commandsProvider(options),
    codeBuildProvider(options),
    manualApprovalProvider(),
    lambdaInvokeProvider(options),
    s3DeployProvider(options),
    ...AWS_ONLY_PROVIDERS.map((p) => awsOnlyProvider(p.category, p.provider, p.needs)),
  ];
}

/**
 * The provider for `category/provider` among `providers` (default: {@link createLocalProviders}
 * with no options), or `undefined`.
 *
 * @example
 * ```ts
 * findLocalProvider('Test', 'CodeBuild')?.provider; // 'CodeBuild'
 * ```
 */
export function findLocalProvider(
  category: ActionCategory,
  provider: string,
  providers: readonly ActionProvider[] = createLocalProviders(),
): ActionProvider | undefined {
  return providers.find((p) => p.provider === provider && p.categories.includes(category));
}
