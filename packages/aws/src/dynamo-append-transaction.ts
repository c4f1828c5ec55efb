/**
 * The `TransactWriteItems` of one event-store append, checked against DynamoDB's transaction
 * limits before it is sent, and the translation of what DynamoDB answers into Pipewright errors.
 *
 * @example
 * ```ts
 * const input = appendTransaction({ table, stream, head, appended, pipeline });
 * try { await doc.send(new TransactWriteCommand(input)); } catch (e) { throw dynamoRequestError(e, 'append to', stream); }
 * ```
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EventRecord } from '@pipewright/core';
import { AwsAdapterError } from './errors.ts';
import {
  eventIdKey,
  eventItem,
  executionsIndexKey,
  itemBytes,
  MAX_ITEM_BYTES,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_ITEMS,
  streamKind,
} from './event-table.ts';
import { isRetryableSdkError, sdkErrorName, sdkErrorSummary } from './sdk-error.ts';

/** Fresh events one append can hold: each needs its event item and its id item, plus the stream head. */
export const MAX_EVENTS_PER_APPEND = Math.floor((MAX_TRANSACTION_ITEMS - 1) / 2);

/** What an append knows of its stream's head item before writing. */
export interface StreamHead {
  version: number;
  pipeline?: string;
  kind?: string;
}

/** Input of {@link appendTransaction}. */
export interface AppendTransactionInput {
  table: string;
  stream: string;
  /** The head as read, `undefined` for a new stream. */
  head: StreamHead | undefined;
  /** The fresh events, numbered from the head's version + 1. */
  appended: readonly EventRecord[];
  /** The pipeline of a new `execution-` stream. */
  pipeline: string | undefined;
  /** The stream's state folded through this append, as JSON, kept on the head (`snapshot`, `snapshotVersion`). */
  snapshot?: string | undefined;
}

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

const THROTTLING_CODES = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);
/** The length of the ISO-8601 times the stream head keeps (`createdAt`). */
const ISO_TIME_LENGTH = '2026-01-01T00:00:00.000Z'.length;

/**
 * The transaction of an append: a conditional put of each event on its (pk, seq), of each event
 * id's item, and the stream head put (new stream) or updated on the expected version. Throws
 * `AwsAdapterError` `PW6001` (too many events) or `PW6002` (an item over 400 KB, or the whole
 * transaction — event items, id items and the head — over 4 MB) before anything is sent.
 *
 * @example
 * ```ts
 * appendTransaction({ table: 'events', stream: 's', head: undefined, appended, pipeline: undefined }).TransactItems?.length; // 2 * appended.length + 1
 * ```
 */
export function appendTransaction(input: AppendTransactionInput): TransactWriteCommandInput {
  const { table: TableName, stream, head, appended } = input;
  if (appended.length > MAX_EVENTS_PER_APPEND) {
    throw new AwsAdapterError(
      'PW6001',
      `cannot append ${appended.length} events to ${stream} at once: one DynamoDB transaction holds at most ${MAX_EVENTS_PER_APPEND} events; append them in smaller batches (each batch is atomic, the whole is not)`,
    );
  }
  const items: TransactItems = [];
  for (const event of appended) {
    const item = eventItem(stream, event.seq, event) as unknown as Record<string, unknown>;
    const bytes = itemBytes(item);
    if (bytes > MAX_ITEM_BYTES) {
      throw new AwsAdapterError(
        'PW6002',
        `event ${event.id} of ${stream} takes ${bytes} bytes, over DynamoDB's ${MAX_ITEM_BYTES}-byte item limit: keep big outputs in the artifact store and put their location in the event`,
      );
    }
    const idItem = { pk: eventIdKey(stream, event.id), sk: 0, item: 'event-id', stream, seq: event.seq };
    items.push(
      { Put: { TableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName, Item: idItem, ConditionExpression: 'attribute_not_exists(pk)' } },
    );
  }
  const current = head?.version ?? 0;
  const version = current + appended.length;
  const snapshot = input.snapshot === undefined ? {} : { snapshot: input.snapshot, snapshotVersion: version };
  const headItem = {
    ...streamHeadItem(stream, version, appended[0]?.at ?? '', head?.pipeline ?? input.pipeline),
    ...snapshot,
  };
  if (head === undefined) {
    items.push({ Put: { TableName, Item: headItem, ConditionExpression: 'attribute_not_exists(pk)' } });
  } else {
    items.push({
      Update: {
        TableName,
        Key: { pk: stream, sk: 0 },
        ConditionExpression: '#v = :expected',
        ...(input.snapshot === undefined
          ? {
              UpdateExpression: 'SET #v = :v',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':v': version, ':expected': current },
            }
          : {
              UpdateExpression: 'SET #v = :v, #s = :s, #sv = :v',
              ExpressionAttributeNames: { '#v': 'version', '#s': 'snapshot', '#sv': 'snapshotVersion' },
              ExpressionAttributeValues: { ':v': version, ':expected': current, ':s': input.snapshot },
            }),
      },
    });
  }
  // An updated head keeps the createdAt written with its first event: count one of that length.
  const headBytes = itemBytes({ ...headItem, ...(head ? headTimes(stream, headItem) : {}) });
  if (headBytes > MAX_ITEM_BYTES) {
    throw new AwsAdapterError(
      'PW6002',
      `the head of ${stream} with its snapshot takes ${headBytes} bytes, over DynamoDB's ${MAX_ITEM_BYTES}-byte item limit: keep a stream's snapshot to its small folded state`,
    );
  }
  assertTransactionSize(stream, appended.length, items, headBytes);
  return { TransactItems: items };
}

/**
 * DynamoDB's 4 MB counts every item a transaction writes, not only the events: 11 events of
 * 4,194,190 B plus their id items and the head were 4,194,886 B, and DynamoDB refused them.
 */
function assertTransactionSize(
  stream: string,
  events: number,
  items: TransactItems,
  headBytes: number,
): void {
  let total = headBytes;
  for (const entry of items) {
    const item = entry.Put?.Item;
    if (item && item.item !== 'stream') total += itemBytes(item);
  }
  if (total > MAX_TRANSACTION_BYTES) {
    throw new AwsAdapterError(
      'PW6002',
      `the ${events} events for ${stream} take ${total} bytes with their id items and the stream head, over DynamoDB's ${MAX_TRANSACTION_BYTES}-byte transaction limit: append them in smaller batches`,
    );
  }
}

function streamHeadItem(
  stream: string,
  version: number,
  createdAt: string,
  pipeline: string | undefined,
): Record<string, unknown> {
  const kind = streamKind(stream);
  const listed = kind === 'execution' && pipeline !== undefined;
  return {
    pk: stream,
    sk: 0,
    item: 'stream',
    version,
    kind,
    pipeline,
    createdAt,
    ...(listed ? { gsi1pk: executionsIndexKey(pipeline), gsi1sk: `${createdAt}#${stream}` } : {}),
  };
}

function headTimes(stream: string, headItem: Record<string, unknown>): Record<string, unknown> {
  const createdAt = 'x'.repeat(ISO_TIME_LENGTH);
  return { createdAt, ...(headItem.gsi1sk === undefined ? {} : { gsi1sk: `${createdAt}#${stream}` }) };
}

/**
 * Turns a failed DynamoDB request into an `AwsAdapterError`: `PW6005` for a transaction
 * DynamoDB cancelled (retryable when throttled), `PW6006` for anything else (retryable when
 * throttled, a 5xx or a timeout). An `AwsAdapterError` passes through unchanged.
 *
 * @example
 * ```ts
 * throw dynamoRequestError(error, 'read', 'execution-7f0c');
 * ```
 */
export function dynamoRequestError(error: unknown, doing: string, stream: string): AwsAdapterError {
  if (error instanceof AwsAdapterError) return error;
  if (sdkErrorName(error) === 'TransactionCanceledException') {
    const codes = ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [])
      .map((r) => r.Code ?? 'None')
      .filter((c) => c !== 'None');
    const retryable = codes.some((c) => THROTTLING_CODES.has(c));
    return new AwsAdapterError(
      'PW6005',
      `DynamoDB cancelled the ${doing} ${stream} (${codes.join(', ') || 'no reason given'}): ${retryable ? 'the table is throttled; retry later' : 'check the table definition and the events'}`,
      { retryable, cause: error },
    );
  }
  const retryable = isRetryableSdkError(error);
  return new AwsAdapterError(
    'PW6006',
    `DynamoDB failed the ${doing} ${stream} (${sdkErrorSummary(error)}): ${
      retryable
        ? 'DynamoDB is throttling or unavailable; retry later'
        : 'check that the table exists, was created from eventTableDefinition, and that this role may use it'
    }`,
    { retryable, cause: error },
  );
}
