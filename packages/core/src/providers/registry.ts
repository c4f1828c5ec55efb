import type { ActionTypeId } from '../model/pipeline.ts';
import { CLOUDFORMATION_DEPLOY } from './cloudformation-deploy.ts';
import { codeBuildSpec } from './codebuild.ts';
import { CODECOMMIT_SOURCE } from './codecommit-source.ts';
import { CODEDEPLOY_DEPLOY } from './codedeploy-deploy.ts';
import { CODEDEPLOY_TO_ECS_DEPLOY } from './codedeploy-to-ecs-deploy.ts';
import { commandsSpec } from './commands.ts';
import { CONNECTION_SOURCE } from './connection-source.ts';
import { ECR_SOURCE } from './ecr-source.ts';
import { ECS_DEPLOY } from './ecs-deploy.ts';
import { ELASTIC_BEANSTALK_DEPLOY } from './elastic-beanstalk-deploy.ts';
import { GIT_SOURCE } from './git-source.ts';
import { GITHUB_SOURCE } from './github-source.ts';
import { LAMBDA_INVOKE } from './lambda-invoke.ts';
import { MANUAL_APPROVAL } from './manual-approval.ts';
import type { ProviderSpec } from './provider-spec.ts';
import { S3_DEPLOY } from './s3-deploy.ts';
import { S3_SOURCE } from './s3-source.ts';
import { STEP_FUNCTIONS_INVOKE } from './step-functions-invoke.ts';

/**
 * Every provider Pipewright knows, one spec per `category/provider` pair.
 *
 * @example
 * ```ts
 * PROVIDERS.map((p) => `${p.category}/${p.provider}`); // ['Source/Git', 'Source/CodeCommit', …]
 * ```
 */
export const PROVIDERS: readonly ProviderSpec[] = [
  GIT_SOURCE,
  CODECOMMIT_SOURCE,
  CONNECTION_SOURCE,
  GITHUB_SOURCE,
  S3_SOURCE,
  ECR_SOURCE,
  commandsSpec('Build'),
  commandsSpec('Test'),
  commandsSpec('Compute'),
  codeBuildSpec('Build'),
  codeBuildSpec('Test'),
  MANUAL_APPROVAL,
  LAMBDA_INVOKE,
  S3_DEPLOY,
  CLOUDFORMATION_DEPLOY,
  ECS_DEPLOY,
  CODEDEPLOY_TO_ECS_DEPLOY,
  CODEDEPLOY_DEPLOY,
  ELASTIC_BEANSTALK_DEPLOY,
  STEP_FUNCTIONS_INVOKE,
];

/**
 * The spec of an action's provider: same category and provider, and the owner is one the
 * provider accepts. `undefined` when Pipewright does not know it (validation reports it).
 *
 * @example
 * ```ts
 * findProvider({ category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' })?.defaultTimeoutMinutes; // 90
 * ```
 */
export function findProvider(
  typeId: Pick<ActionTypeId, 'category' | 'owner' | 'provider'>,
): ProviderSpec | undefined {
  return PROVIDERS.find(
    (p) =>
      p.category === typeId.category && p.provider === typeId.provider && p.owners.includes(typeId.owner),
  );
}

/**
 * The spec for a `category/provider` pair whatever the owner (for messages about a wrong owner).
 *
 * @example
 * ```ts
 * findProviderByName('Approval', 'Manual')?.owners; // ['AWS']
 * ```
 */
export function findProviderByName(category: string, provider: string): ProviderSpec | undefined {
  return PROVIDERS.find((p) => p.category === category && p.provider === provider);
}

/**
 * `Category/Provider` of every known provider, for "supported are …" messages.
 *
 * @example
 * ```ts
 * supportedProviderNames().includes('Invoke/Lambda'); // true
 * ```
 */
export function supportedProviderNames(): string[] {
  return PROVIDERS.map((p) => `${p.category}/${p.provider}`);
}
