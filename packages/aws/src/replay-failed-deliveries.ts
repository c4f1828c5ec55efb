/**
 * Redelivers what the failed-deliveries queue holds to the function it was meant for, and
 * deletes each message only once its function took it without error. Replaying is idempotent:
 * every handler ignores a delivery it already recorded (delivery ids, event ids, `DynamoOnce`),
 * so a message replayed twice — by two operators at once, or after a replay whose delete was
 * lost — changes nothing the second time. A message that fails again stays in the queue
 * (visible again after `visibilityTimeoutSeconds`), with the reason in the report.
 */
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { FUNCTION_FILES, FUNCTION_KEYS, resourceName } from '@pipewright/core/deploy';
import { AwsAdapterError } from './errors.ts';
import {
  type FailedDelivery,
  failedDelivery,
  type QueueMessage,
  type StreamBatch,
} from './failed-delivery.ts';

/** What {@link replayFailedDeliveries} needs. @example `{ sqs, lambda, streams, queueUrl, functions: new Set(['pipewright-prod-trigger']) }` */
export interface ReplayOptions {
  sqs: SQSClient;
  lambda: LambdaClient;
  streams: DynamoDBStreamsClient;
  queueUrl: string;
  /** Names of the functions a message may be redelivered to: the stage's own, never another's. */
  functions: ReadonlySet<string>;
  /** Most messages to take in one run (default 1,000). */
  max?: number;
  /** How long a taken message stays hidden from other readers (default 300 s). */
  visibilityTimeoutSeconds?: number;
}

/** What became of one message. @example `{ messageId: 'm-1', kind: 'invoke', functionName: 'pipewright-prod-trigger', replayed: true }` */
export interface ReplayOutcome {
  messageId: string;
  kind: FailedDelivery['kind'];
  functionName?: string;
  replayed: boolean;
  /** Why it stays in the queue. */
  reason?: string;
}

/** What a replay did. @example `{ received: 3, replayed: 2, kept: 1, outcomes }` */
export interface ReplayReport {
  received: number;
  replayed: number;
  kept: number;
  outcomes: ReplayOutcome[];
}

const decoder = new TextDecoder();

/** A stream record as Lambda hands it to the projector (epoch seconds, the stream's ARN). */
function lambdaRecord(record: Record<string, unknown>, streamArn: string): Record<string, unknown> {
  const dynamodb = { ...(record.dynamodb as Record<string, unknown> | undefined) };
  const created = dynamodb.ApproximateCreationDateTime;
  if (created instanceof Date) dynamodb.ApproximateCreationDateTime = Math.floor(created.getTime() / 1000);
  return { ...record, dynamodb, eventSourceARN: streamArn };
}

/** The records of `batch` still in the stream (DynamoDB keeps 24 hours), oldest first. */
async function streamRecords(
  streams: DynamoDBStreamsClient,
  batch: StreamBatch,
): Promise<Record<string, unknown>[]> {
  const end = BigInt(batch.endSequenceNumber);
  const start = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: batch.streamArn,
      ShardId: batch.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: batch.startSequenceNumber,
    }),
  );
  const records: Record<string, unknown>[] = [];
  let iterator = start.ShardIterator;
  for (let page = 0, empty = 0; iterator !== undefined && page < 100 && empty < 3; page++) {
    const got = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const list = got.Records ?? [];
    empty = list.length === 0 ? empty + 1 : 0;
    for (const r of list) {
      if (BigInt(r.dynamodb?.SequenceNumber ?? '0') > end) return records;
      records.push(lambdaRecord(r as Record<string, unknown>, batch.streamArn));
    }
    iterator = got.NextShardIterator;
  }
  return records;
}

/** Invokes `functionName` with `payload` and waits; the function's own error message when it fails. */
async function invoke(
  lambda: LambdaClient,
  functionName: string,
  payload: unknown,
): Promise<{ error?: string; result?: unknown }> {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  const text = out.Payload === undefined ? '' : decoder.decode(out.Payload);
  const result = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (out.FunctionError !== undefined) {
    const message = (result as { errorMessage?: unknown } | undefined)?.errorMessage;
    return {
      error: `${functionName} failed again: ${typeof message === 'string' ? message : out.FunctionError}`,
    };
  }
  return { result };
}

async function replayOne(o: ReplayOptions, delivery: FailedDelivery): Promise<string | undefined> {
  if (delivery.kind === 'unreadable')
    return `not replayable: ${delivery.reason}; look at it and delete it by hand`;
  if (!o.functions.has(delivery.functionName)) {
    return `it is for ${delivery.functionName}, not a function of this stage; replay it with that stage`;
  }
  if (delivery.kind !== 'stream')
    return (await invoke(o.lambda, delivery.functionName, delivery.payload)).error;
  const records = await streamRecords(o.streams, delivery.batch);
  if (records.length === 0) {
    return 'its records are no longer in the table stream (kept 24 hours); the events are in the table: the projections they feed can be rebuilt from it';
  }
  const { error, result } = await invoke(o.lambda, delivery.functionName, { Records: records });
  const failures = (result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures ?? [];
  if (error === undefined && failures.length > 0)
    return `${delivery.functionName} failed again on ${failures.length} record(s)`;
  return error;
}

/**
 * Takes up to `max` messages from the queue, redelivers each, and deletes those delivered.
 *
 * @example
 * ```ts
 * const report = await replayFailedDeliveries({ sqs, lambda, streams, queueUrl, functions });
 * report.kept; // 0 when everything was delivered
 * ```
 */
export async function replayFailedDeliveries(o: ReplayOptions): Promise<ReplayReport> {
  const max = o.max ?? 1000;
  const outcomes: ReplayOutcome[] = [];
  while (outcomes.length < max) {
    const got = await o.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: o.queueUrl,
        MaxNumberOfMessages: Math.min(10, max - outcomes.length),
        WaitTimeSeconds: 0,
        VisibilityTimeout: o.visibilityTimeoutSeconds ?? 300,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages: QueueMessage[] = got.Messages ?? [];
    if (messages.length === 0) break;
    for (const message of messages) {
      const delivery = failedDelivery(message);
      let reason: string | undefined;
      try {
        reason = await replayOne(o, delivery);
      } catch (e) {
        reason = `the replay failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (reason === undefined) {
        await o.sqs.send(
          new DeleteMessageCommand({ QueueUrl: o.queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
      outcomes.push({
        messageId: message.MessageId ?? '',
        kind: delivery.kind,
        ...(delivery.kind === 'unreadable' ? {} : { functionName: delivery.functionName }),
        replayed: reason === undefined,
        ...(reason === undefined ? {} : { reason }),
      });
    }
  }
  const replayed = outcomes.filter((x) => x.replayed).length;
  return { received: outcomes.length, replayed, kept: outcomes.length - replayed, outcomes };
}

/** Where a stage's failed deliveries are. @example `{ app: 'pipewright', stage: 'prod', region: 'eu-west-1' }` */
export interface StageQueue {
  app: string;
  stage: string;
}

/**
 * The queue's name and the functions its messages may go to, for a stage (the names `sst
 * deploy` gave them).
 *
 * @example
 * ```ts
 * stageDeliveries({ app: 'pipewright', stage: 'prod' }).queueName; // 'pipewright-prod-failed-deliveries'
 * ```
 */
export function stageDeliveries(where: StageQueue): { queueName: string; functions: Set<string> } {
  return {
    queueName: resourceName('queue', where.app, where.stage, 'failed-deliveries'),
    functions: new Set(
      FUNCTION_KEYS.map((k) => resourceName('function', where.app, where.stage, FUNCTION_FILES[k])),
    ),
  };
}

/**
 * The URL of a stage's failed-deliveries queue; throws `PW6601` naming the queue when the
 * stage is not deployed there (wrong stage, region or account).
 *
 * @example
 * ```ts
 * const queueUrl = await stageQueueUrl(sqs, { app: 'pipewright', stage: 'prod' });
 * ```
 */
export async function stageQueueUrl(sqs: SQSClient, where: StageQueue): Promise<string> {
  const { queueName } = stageDeliveries(where);
  try {
    const out = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    if (out.QueueUrl !== undefined) return out.QueueUrl;
  } catch (e) {
    throw new AwsAdapterError(
      'PW6601',
      `there is no queue ${queueName} here (${e instanceof Error ? e.message : String(e)}): check --stage, the region (AWS_REGION or --region) and the account of your credentials`,
      { cause: e },
    );
  }
  throw new AwsAdapterError('PW6601', `SQS returned no URL for ${queueName}; try again`);
}
