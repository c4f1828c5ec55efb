/**
 * The one DynamoDB table of Pipewright on AWS: its definition (shared by infra and tests) and
 * the layout of its items. Every item has `pk` (string) and `sk` (number) and an `item`
 * attribute naming its kind, so a DynamoDB-stream consumer can filter on it:
 *
 * | item          | pk                         | sk    | other attributes                                        |
 * | ------------- | -------------------------- | ----- | ------------------------------------------------------- |
 * | `event`       | `<stream>`                 | seq ≥ 1 | `id`, `type`, `at`, `actor?` (JSON), `data` (JSON)    |
 * | `stream`      | `<stream>`                 | 0     | `version`, `kind`, `pipeline?`, `createdAt`, `gsi1pk?`, `gsi1sk?`, `snapshot?` (JSON), `snapshotVersion?` |
 * | `event-id`    | `id#<stream>#<event id>`   | 0     | `stream`, `seq`                                         |
 * | `task-token`  | `token#<task key>`         | 0     | `token`, `expiresAt` (epoch seconds, the TTL attribute) |
 *
 * Streams: `execution-<id>`, `pipeline-<name>` (versions, transitions, locks, queue; its head
 * keeps the engine's fold as `snapshot`, so a gate reads one item) and `triggers-<name>` (every
 * delivery's record: a partition of its own, so a webhook never writes where gates read).
 *
 * GSI `gsi1` (`gsi1pk = pipeline#<name>`, `gsi1sk = <createdAt>#<stream>`) holds one entry
 * per execution stream; it projects only `pipeline` and `createdAt`, so the head's version
 * bump on every append does not write to the index.
 *
 * @example
 * ```ts
 * await dynamo.send(new CreateTableCommand(eventTableDefinition('pipewright-prod-events')));
 * await dynamo.send(new UpdateTimeToLiveCommand(eventTableTimeToLive('pipewright-prod-events')));
 * ```
 */
import type { CreateTableCommandInput, UpdateTimeToLiveCommandInput } from '@aws-sdk/client-dynamodb';
import type { EventRecord, NewEventRecord } from '@pipewright/core';
import { AwsAdapterError } from './errors.ts';

/** Name of the GSI listing a pipeline's executions. */
export const EXECUTIONS_INDEX = 'gsi1';
/** The TTL attribute (epoch seconds) of expiring items. */
export const TTL_ATTRIBUTE = 'expiresAt';
/** Actions in one `TransactWriteItems` (DynamoDB's limit since 2022; it was 25 before). */
export const MAX_TRANSACTION_ITEMS = 100;
/** DynamoDB's item size limit, in bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** DynamoDB's limit on the aggregate size of one transaction, in bytes. */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * The CreateTable input of the event table: `pk`/`sk` keys, the executions GSI, on-demand
 * billing, a stream of new images for the projector. TTL is a separate call: see
 * {@link eventTableTimeToLive}.
 *
 * @example
 * ```ts
 * eventTableDefinition('events').KeySchema; // [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]
 * ```
 */
export function eventTableDefinition(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: EXECUTIONS_INDEX,
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['pipeline', 'createdAt'] },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  };
}

/**
 * The UpdateTimeToLive input enabling expiry of task-token items on the event table.
 *
 * @example
 * ```ts
 * eventTableTimeToLive('events').TimeToLiveSpecification; // { AttributeName: 'expiresAt', Enabled: true }
 * ```
 */
export function eventTableTimeToLive(name: string): UpdateTimeToLiveCommandInput {
  return { TableName: name, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } };
}

/** The kind of a stream, from its name (as the SQLite store). */
export type StreamKind = 'execution' | 'pipeline' | 'other';

/**
 * The kind of a stream from its prefix.
 *
 * @example
 * ```ts
 * streamKind('execution-7f0c'); // 'execution'
 * ```
 */
export function streamKind(stream: string): StreamKind {
  if (stream.startsWith('execution-')) return 'execution';
  if (stream.startsWith('pipeline-')) return 'pipeline';
  return 'other';
}

/**
 * Throws unless `stream` can be a partition key of the table: `#` separates the parts of
 * the other items' keys, so a stream name may not contain it.
 *
 * @example
 * ```ts
 * assertStreamName('execution-7f0c'); // ok
 * ```
 */
export function assertStreamName(stream: string): void {
  if (stream.length === 0 || stream.includes('#')) {
    throw new AwsAdapterError(
      'PW6003',
      `invalid stream name "${stream}": it must be non-empty and may not contain "#" (reserved for the table's other items); use executionStream(id) or pipelineStream(name)`,
    );
  }
}

/**
 * The partition key of an event id's item.
 *
 * @example
 * ```ts
 * eventIdKey('execution-7f0c', 'e1'); // 'id#execution-7f0c#e1'
 * ```
 */
export function eventIdKey(stream: string, eventId: string): string {
  return `id#${stream}#${eventId}`;
}

/**
 * The partition key of a task token's item.
 *
 * @example
 * ```ts
 * taskTokenKey('7f0c/action/Build/Compile/0'); // 'token#7f0c/action/Build/Compile/0'
 * ```
 */
export function taskTokenKey(key: string): string {
  return `token#${key}`;
}

/**
 * The executions GSI's partition key of a pipeline.
 *
 * @example
 * ```ts
 * executionsIndexKey('web-app'); // 'pipeline#web-app'
 * ```
 */
export function executionsIndexKey(pipeline: string): string {
  return `pipeline#${pipeline}`;
}

/** An event item as stored (DocumentClient shape). */
export interface EventItem {
  pk: string;
  sk: number;
  item: 'event';
  id: string;
  type: string;
  at: string;
  actor?: string;
  data: string;
}

/**
 * The item storing an event at `seq` of `stream`.
 *
 * @example
 * ```ts
 * eventItem('s', 1, { id: 'e1', type: 'T', at, data: {} }); // { pk: 's', sk: 1, item: 'event', id: 'e1', …, data: '{}' }
 * ```
 */
export function eventItem(stream: string, seq: number, event: NewEventRecord): EventItem {
  return {
    pk: stream,
    sk: seq,
    item: 'event',
    id: event.id,
    type: event.type,
    at: event.at,
    ...(event.actor ? { actor: JSON.stringify(event.actor) } : {}),
    data: JSON.stringify(event.data ?? null),
  };
}

/**
 * The event an item holds, or `undefined` for another kind of item: decodes query results
 * and the new images of the table's DynamoDB stream (after `unmarshall`).
 *
 * @example
 * ```ts
 * const event = eventFromItem(unmarshall(record.dynamodb.NewImage)); // EventRecord | undefined
 * ```
 */
export function eventFromItem(item: Record<string, unknown>): EventRecord | undefined {
  if (item.item !== 'event') return undefined;
  const { pk, sk, id, type, at, actor, data } = item as unknown as EventItem;
  return {
    stream: pk,
    seq: Number(sk),
    id,
    type,
    at,
    ...(actor ? { actor: JSON.parse(actor) } : {}),
    data: JSON.parse(data),
  };
}

/**
 * The size DynamoDB counts for an item (attribute names plus values; numbers rounded up),
 * close enough to check the 400 KB and 4 MB limits before writing.
 *
 * @example
 * ```ts
 * itemBytes({ pk: 's', sk: 1 }); // 2 + 1 + 2 + 21
 * ```
 */
export function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    bytes += Buffer.byteLength(name);
    bytes += typeof value === 'string' ? Buffer.byteLength(value) : typeof value === 'number' ? 21 : 1;
  }
  return bytes;
}
