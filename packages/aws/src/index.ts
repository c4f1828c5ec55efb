/** `@pipewright/aws`: AWS adapters and Lambda entry points. Explicit named re-exports only. */
export {
  DynamoEventStore,
  type DynamoEventStoreOptions,
  MAX_EVENTS_PER_APPEND,
} from './dynamo-event-store.ts';
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
  assertExecutionName,
  executionArnOf,
  SfnOrchestrator,
  type SfnOrchestratorOptions,
} from './sfn-orchestrator.ts';
