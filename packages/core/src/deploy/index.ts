/**
 * `@pipewright/core/deploy`: what `sst deploy` creates, as pure data: names, ARNs, IAM
 * policies, rules, schedules, definitions, and the AWS quotas they must fit. Only `infra/`,
 * `@pipewright/aws` and `pipewright plan` use it, so it is a subpath of core rather than part
 * of its root export; it is as pure as the rest of core (no I/O, no AWS SDK).
 *
 * @example
 * ```ts
 * import { deploymentPlan } from '@pipewright/core/deploy';
 * const plan = deploymentPlan(pipelines, { app: 'pipewright', stage: 'prod', region, accountId, artifactKeyArn });
 * ```
 */
export {
  type ApprovalSubscription,
  approvalSubscriptions,
  NOTIFICATION_TARGET_ATTRIBUTE,
} from './approval-subscriptions.ts';
export {
  assertDeployable,
  checkDeployment,
  type DeploymentCheck,
  DeploymentCheckError,
  type DeploymentProblem,
} from './deployment-check.ts';
export {
  arnOf,
  type DeploymentNames,
  type DeploymentSite,
  FUNCTION_FILES,
  FUNCTION_KEYS,
  type FunctionKey,
  type NamedArn,
  type PipelineResourceNames,
  pipelineResourceNames,
  resourceNamePrefix,
  type SharedResourceNames,
  type StagePatterns,
  sharedResourceNames,
  stagePatterns,
} from './deployment-names.ts';
export {
  DEPLOYMENT_PIPELINE_FILE,
  type DeploymentFile,
  type DeploymentPipelines,
  deploymentPipelines,
} from './deployment-pipelines.ts';
export {
  type DeploymentPlan,
  deploymentPlan,
  FUNCTION_SETTINGS,
  type FunctionPlan,
  LAMBDA_RUNTIME,
  LOG_RETENTION_DAYS,
  type PipelinePlan,
  type RolePlan,
  RUNNER_BUILDSPEC,
  type RunnerProjectPlan,
} from './deployment-plan.ts';
export { AWS_QUOTAS, type Quota, type QuotaKey, type QuotaUse, quotaUses } from './deployment-quotas.ts';
export { type ExternalGrant, externalGrants } from './external-grants.ts';
export {
  actionRunnerPolicy,
  EVENT_TABLE_ACTIONS,
  functionPolicies,
  runnerProjectPolicy,
  schedulerPolicy,
  TASK_TOKEN_ACTIONS,
} from './function-policies.ts';
export { LOG_DELIVERY_ACTIONS, pipelinePolicy } from './pipeline-policy.ts';
export {
  MANAGED_POLICY_CHARS,
  type ManagedPolicyPlan,
  type PolicyPlacement,
  placePolicy,
  policyLength,
  ROLE_INLINE_POLICY_CHARS,
  SST_INLINE_RESERVE_CHARS,
} from './policy-placement.ts';
export { allowStatement, type PolicyStatement, policyDocument, trustPolicy } from './policy-statement.ts';
export { type ProviderGrants, providerGrants } from './provider-grants.ts';
export {
  isValidResourceName,
  RESOURCE_NAME_RULES,
  type ResourceKind,
  resourceName,
} from './resource-name.ts';
export { type DefinitionFunctions, stateMachineDefinition } from './state-machine-definition.ts';
export {
  ABNORMAL_EXECUTION_END,
  callbackRules,
  type EventRuleSpec,
  type RuleBus,
  type TriggerInvocation,
  type TriggerRule,
  triggerInputTemplate,
  triggerRules,
  webhookRelayRule,
} from './trigger-rules.ts';
export { SCHEDULED_TIME, type TriggerSchedule, triggerSchedules } from './trigger-schedules.ts';
export { iamActionsOf, type WildcardGrant, wildcardGrant } from './wildcard-grants.ts';
