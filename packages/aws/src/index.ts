/** `@pipewright/aws`: AWS adapters and Lambda entry points. Explicit named re-exports only. */
export {
  type ArtifactZipEntry,
  readArtifactZip,
  ZIP_ENTRY_TIME,
  zipArtifact,
} from './artifact-zip.ts';
export {
  DynamoEventStore,
  type DynamoEventStoreOptions,
  MAX_EVENTS_PER_APPEND,
} from './dynamo-event-store.ts';
export { DynamoOnce, type DynamoOnceOptions, ONCE_PREFIX } from './dynamo-once.ts';
export {
  DEFAULT_TASK_TOKEN_TTL_SECONDS,
  DynamoTaskTokens,
  type DynamoTaskTokensOptions,
} from './dynamo-task-tokens.ts';
export {
  AWS_ERROR_CODES,
  AwsAdapterError,
  type AwsAdapterErrorOptions,
  type AwsErrorCode,
} from './errors.ts';
export {
  assertStreamName,
  type EventItem,
  EXECUTIONS_INDEX,
  eventFromItem,
  eventIdKey,
  eventItem,
  eventTableDefinition,
  eventTableTimeToLive,
  executionsIndexKey,
  itemBytes,
  MAX_ITEM_BYTES,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_ITEMS,
  type StreamKind,
  streamKind,
  TTL_ATTRIBUTE,
  taskTokenKey,
} from './event-table.ts';
export {
  EventBridgePublisher,
  type EventBridgePublisherOptions,
  MAX_PUT_EVENTS_BYTES,
  MAX_PUT_EVENTS_ENTRIES,
  putEventsEntrySize,
} from './eventbridge-publisher.ts';
export {
  type FailedDelivery,
  failedDelivery,
  type QueueMessage,
  type StreamBatch,
} from './failed-delivery.ts';
export { sfnOrchestrator } from './lambda/aws-orchestrator.ts';
export { LAMBDA_EXTERNAL_MODULES } from './lambda/bundle-externals.ts';
export {
  type CallbackParts,
  type CallbackResult,
  type CompletedAttempt,
  callbackHandler,
  stateMachineEnd,
} from './lambda/callback-handler.ts';
export {
  DEPLOYED_PIPELINES_FILE,
  type DeployedPipelines,
  loadDeployedPipelines,
  recordDeployedPipelines,
  recordedDefinitions,
} from './lambda/deployed-pipelines.ts';
export { DEPLOYED_USERS_FILE, loadDeployedUsers } from './lambda/deployed-users.ts';
export { type DeploymentSecrets, deploymentSecrets } from './lambda/deployment-secrets.ts';
export {
  type EngineParts,
  type FunctionRuntime,
  type FunctionRuntimeOptions,
  openFunctionRuntime,
} from './lambda/function-runtime.ts';
export { type AwsWebAppOptions, awsWebApp } from './lambda/http-app.ts';
export { functionLogger, lambdaEntry, once } from './lambda/lambda-entry.ts';
export {
  type LambdaEnvironment,
  lambdaEnvironment,
  stateMachineArnOf,
  topicArnOf,
} from './lambda/lambda-environment.ts';
export {
  type DynamoStreamEvent,
  type ProjectorParts,
  type ProjectorResult,
  projectorHandler,
} from './lambda/projector-handler.ts';
export { actionRunnerHandler, stageGateHandler, type TaskParts } from './lambda/task-handlers.ts';
export {
  MAX_RELAYED_DETAIL_BYTES,
  relayedDetail,
  TRIGGER_DELIVERY_DETAIL_TYPE,
  type TriggerParts,
  triggerDeliveryOf,
  triggerHandler,
  WEBHOOK_SOURCE,
} from './lambda/trigger-handler.ts';
export { type AwsProvidersOptions, awsProviders } from './providers/aws-providers.ts';
export {
  awsCloudFormationDeployProvider,
  type CloudFormationDeployOptions,
} from './providers/cloudformation-deploy.ts';
export { awsCodeBuildProvider } from './providers/codebuild.ts';
export {
  type ArtifactAdopter,
  type CodeBuildCompleted,
  codeBuildCompletion,
} from './providers/codebuild-completion.ts';
export { awsCodeDeployProvider, type CodeDeployOptions } from './providers/codedeploy-deploy.ts';
export { awsCodeDeployToEcsProvider, type CodeDeployToEcsOptions } from './providers/codedeploy-to-ecs.ts';
export { awsCommandsProvider } from './providers/commands.ts';
export { awsEcsDeployProvider, type EcsDeployOptions } from './providers/ecs-deploy.ts';
export {
  awsElasticBeanstalkDeployProvider,
  type ElasticBeanstalkOptions,
} from './providers/elastic-beanstalk-deploy.ts';
export { type AwsSourceProvider, awsSourceProvider } from './providers/git-source.ts';
export {
  type AwsJobEvent,
  type AwsLambdaInvokeOptions,
  awsLambdaInvokeProvider,
  type S3ArtifactLocation,
} from './providers/lambda-invoke.ts';
export { type LocalAwsOptions, localAwsProviders } from './providers/local-aws-providers.ts';
export {
  artifactPrefix,
  RUNNER_IDENTITY,
  type RunnerBuildOptions,
  type RunnerBuildSpec,
  runnerBuildInput,
} from './providers/runner-build.ts';
export { awsS3DeployProvider } from './providers/s3-deploy.ts';
export {
  awsStepFunctionsInvokeProvider,
  type StepFunctionsInvokeOptions,
} from './providers/step-functions-invoke.ts';
export {
  type ReplayOptions,
  type ReplayOutcome,
  type ReplayReport,
  replayFailedDeliveries,
  type StageQueue,
  stageDeliveries,
  stageQueueUrl,
} from './replay-failed-deliveries.ts';
export { S3ActionLogStore, type S3ActionLogStoreOptions } from './s3-action-log-store.ts';
export { S3ArtifactStore, type S3ArtifactStoreOptions } from './s3-artifact-store.ts';
export { s3RequestError } from './s3-request-error.ts';
export { isRetryableSdkError, sdkErrorName, sdkErrorSummary, sdkHttpStatus } from './sdk-error.ts';
export {
  AwsSecretStore,
  type AwsSecretStoreOptions,
  parseSecretReference,
  type SecretReference,
  type SecretStore,
} from './secret-store.ts';
export {
  assertExecutionName,
  executionArnOf,
  SfnOrchestrator,
  type SfnOrchestratorOptions,
} from './sfn-orchestrator.ts';
export { MAX_SNS_SUBJECT_CHARS, SnsNotifier, type SnsNotifierOptions, snsSubject } from './sns-notifier.ts';
