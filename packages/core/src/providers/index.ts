/**
 * Action providers: what each `category/provider` accepts (configuration schema, artifacts,
 * timeouts, output variables).
 *
 * @example
 * ```ts
 * import { findProvider } from './providers/index.ts';
 * findProvider({ category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' })?.defaultTimeoutMinutes; // 10080
 * ```
 */
export { CLOUDFORMATION_ACTION_MODES, CLOUDFORMATION_DEPLOY } from './cloudformation-deploy.ts';
export { codeBuildSpec } from './codebuild.ts';
export { CODECOMMIT_SOURCE } from './codecommit-source.ts';
export { CODEDEPLOY_DEPLOY, CODEDEPLOY_TIMEOUT_MINUTES } from './codedeploy-deploy.ts';
export { CODEDEPLOY_TO_ECS_DEPLOY, MAX_ECS_IMAGES } from './codedeploy-to-ecs-deploy.ts';
export { BUILD_MAX_TIMEOUT_MINUTES, COMMANDS_CATEGORIES, commandsSpec } from './commands.ts';
export { hasVariable } from './config-schema.ts';
export { CONNECTION_SOURCE } from './connection-source.ts';
export { ECR_SOURCE, ECR_SOURCE_VARIABLES } from './ecr-source.ts';
export {
  DEFAULT_IMAGE_DEFINITIONS_FILE,
  ECS_DEPLOY,
  ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES,
} from './ecs-deploy.ts';
export { ELASTIC_BEANSTALK_DEPLOY } from './elastic-beanstalk-deploy.ts';
export { GIT_SOURCE, GIT_SOURCE_VARIABLES } from './git-source.ts';
export { GITHUB_SOURCE } from './github-source.ts';
export { LAMBDA_INVOKE } from './lambda-invoke.ts';
export { APPROVAL_DEFAULT_TIMEOUT_MINUTES, MANUAL_APPROVAL } from './manual-approval.ts';
export {
  ACTION_EXTRA_FIELDS,
  type ActionExtraField,
  type ArtifactBounds,
  type ProviderSpec,
} from './provider-spec.ts';
export { findProvider, findProviderByName, PROVIDERS, supportedProviderNames } from './registry.ts';
export { CANNED_ACLS, S3_DEPLOY } from './s3-deploy.ts';
export { S3_SOURCE } from './s3-source.ts';
export {
  STEP_FUNCTIONS_INPUT_TYPES,
  STEP_FUNCTIONS_INVOKE,
  STEP_FUNCTIONS_TIMEOUT_MINUTES,
} from './step-functions-invoke.ts';
