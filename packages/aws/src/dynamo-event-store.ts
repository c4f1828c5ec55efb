/**
 * The event store on one DynamoDB table (layout in `event-table.ts`).
 *
 * @example
 * ```ts
 * const store = new DynamoEventStore({ client: new DynamoDBClient({}), tableName: 'pipewright-prod-events' });
 * await store.append('execution-7f0c', [started], { expectedVersion: 0, pipeline: 'web-app' });
 * ```
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyConflictError,
  type EventRecord,
  type EventStore,
  type ExecutionListEntry,
  type ExecutionPage,
  type StreamHead as HeadRead,
  InvalidCursorError,
  type ListExecutionsOptions,
  type NewEventRecord,
} from '@pipewright/core';
import {
  appendTransaction,
  dynamoRequestError,
  MAX_EVENTS_PER_APPEND,
  type StreamHead,
} from './dynamo-append-transaction.ts';
import {
  assertStreamName,
  EXECUTIONS_INDEX,
  eventFromItem,
  eventIdKey,
  executionsIndexKey,
} from './event-table.ts';

export { MAX_EVENTS_PER_APPEND };

/** Options of {@link DynamoEventStore}. */
export interface DynamoEventStoreOptions {
  /** The DynamoDB client (its region, endpoint and credentials). The store never destroys it. */
  client: DynamoDBClient;
  /** The table created from `eventTableDefinition`. */
  tableName: string;
  /** Tries of one append when a racing writer or a transaction conflict cancels it (default 10). */
  maxAttempts?: number;
}

const MAX_PAGE = 1000;
const CONCURRENCY_CODES = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict']);

/**
 * {@link EventStore} on DynamoDB. An append is one `TransactWriteItems`: a conditional put
 * of each event on its (pk, seq), a conditional put of each event id's item, and the stream
 * head (`sk = 0`) put (new stream) or updated with a condition on the expected version. So a
 * batch is atomic, two writers cannot take the same seq, and an event id is stored once per
 * stream. Ids already stored (read first, consistently) are skipped as `duplicates`; a batch of
 * only duplicates is a no-op whatever the version. A cancelled transaction is re-examined: a
 * moved stream is a `ConcurrencyConflictError`, a racing duplicate a no-op, a transient
 * conflict (or `expectedVersion: 'any'`) a retry. One append holds at most
 * {@link MAX_EVENTS_PER_APPEND} fresh events (DynamoDB's 100-action transaction): a larger
 * batch is rejected with `AwsAdapterError` `PW6001`, never split (that would not be atomic).
 * `listExecutions` reads a GSI, which DynamoDB keeps eventually consistent: a stream created a
 * moment ago may be missing from the list for that moment.
 *
 * @example
 * ```ts
 * const store = new DynamoEventStore({ client, tableName: 'events' });
 * const { executions, nextCursor } = await store.listExecutions('web-app', { limit: 20 });
 * ```
 */
export class DynamoEventStore implements EventStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #maxAttempts: number;

  constructor(options: DynamoEventStoreOptions) {
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#table = options.tableName;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 10);
  }

  async append(
    stream: string,
    events: readonly NewEventRecord[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    assertStreamName(stream);
    if (events.length === 0) return { version: await this.version(stream), appended: [], duplicates: [] };
    let lastCause: unknown;
    let expected = 0;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const [head, stored] = await Promise.all([
        this.#head(stream),
        this.#storedIds(
          stream,
          events.map((e) => e.id),
        ),
      ]);
      const current = head?.version ?? 0;
      const duplicates: string[] = [];
      const fresh: NewEventRecord[] = [];
      const seen = new Set<string>();
      for (const event of events) {
        if (seen.has(event.id) || stored.has(event.id)) duplicates.push(event.id);
        else fresh.push(event);
        seen.add(event.id);
      }
      if (fresh.length === 0) {
        // The head and the ids are read side by side: the head may predate the write that stored
        // the ids (a racing delivery). Read it again so the version includes them.
        return { version: (await this.#head(stream))?.version ?? 0, appended: [], duplicates };
      }
      expected = options.expectedVersion === 'any' ? current : options.expectedVersion;
      if (expected !== current) throw new ConcurrencyConflictError(stream, expected, current);
      const appended = fresh.map((event, i): EventRecord => ({ ...event, stream, seq: current + i + 1 }));
      const transaction = appendTransaction({
        table: this.#table,
        stream,
        head,
        appended,
        pipeline: options.pipeline,
        // A batch with a duplicate is not the state the caller folded: keep the previous snapshot.
        snapshot:
          options.snapshot === undefined || duplicates.length > 0
            ? undefined
            : JSON.stringify(options.snapshot),
      });
      try {
        await this.#doc.send(new TransactWriteCommand(transaction));
        return { version: current + fresh.length, appended, duplicates };
      } catch (error) {
        if (!isLostRace(error)) throw dynamoRequestError(error, 'append to', stream);
        lastCause = error;
        // A transient TransactionConflict clears in milliseconds; spread the retries a little.
        if (attempt > 1) await sleep(Math.random() * Math.min(200, 5 * 2 ** attempt));
      }
    }
    throw new ConcurrencyConflictError(stream, expected, await this.version(stream), { cause: lastCause });
  }

  async read(stream: string, options: { fromSeq?: number; limit?: number } = {}): Promise<EventRecord[]> {
    const limit = options.limit ?? -1;
    if (limit === 0) return [];
    const events: EventRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const remaining = limit < 0 ? undefined : limit - events.length;
      const page = await this.#send('read of', stream, (doc) =>
        doc.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'pk = :pk AND sk >= :from',
            ExpressionAttributeValues: { ':pk': stream, ':from': Math.max(1, options.fromSeq ?? 1) },
            ConsistentRead: true,
            ...(remaining === undefined ? {} : { Limit: remaining }),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const event = eventFromItem(item);
        if (event) events.push(event);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && (limit < 0 || events.length < limit));
    return events;
  }

  async version(stream: string): Promise<number> {
    return (await this.#head(stream))?.version ?? 0;
  }

  /** One consistent read of the head item (its version and snapshot). */
  async head(stream: string): Promise<HeadRead> {
    assertStreamName(stream);
    const Item = await this.#headItem(stream, ['version', 'snapshot', 'snapshotVersion']);
    if (Item === undefined) return { version: 0 };
    const version = Number(Item.version);
    if (typeof Item.snapshot !== 'string' || Item.snapshotVersion === undefined) return { version };
    return { version, snapshot: { version: Number(Item.snapshotVersion), data: JSON.parse(Item.snapshot) } };
  }

  /** The event's id item names its seq: two consistent reads of one item each. */
  async find(stream: string, id: string): Promise<EventRecord | undefined> {
    assertStreamName(stream);
    const { Item: idItem } = await this.#send('read of an event id of', stream, (doc) =>
      doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: eventIdKey(stream, id), sk: 0 },
          ConsistentRead: true,
          ProjectionExpression: 'seq',
        }),
      ),
    );
    if (idItem === undefined) return undefined;
    const { Item } = await this.#send('read of an event of', stream, (doc) =>
      doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: stream, sk: Number(idItem.seq) },
          ConsistentRead: true,
        }),
      ),
    );
    return Item === undefined ? undefined : eventFromItem(Item);
  }

  async listExecutions(pipeline: string, options: ListExecutionsOptions = {}): Promise<ExecutionPage> {
    const limit = Math.min(Math.max(1, options.limit ?? 50), MAX_PAGE);
    const gsi1pk = executionsIndexKey(pipeline);
    let startKey: Record<string, unknown> | undefined = options.cursor
      ? cursorKey(options.cursor, gsi1pk)
      : undefined;
    const entries: ExecutionListEntry[] = [];
    // One more than the page, to know whether a next page exists.
    do {
      const page = await this.#send('listing of the executions of', `pipeline ${pipeline}`, (doc) =>
        doc.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: EXECUTIONS_INDEX,
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': gsi1pk },
            ScanIndexForward: false,
            Limit: limit + 1 - entries.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const stream = String(item.pk);
        entries.push({
          executionId: stream.slice('execution-'.length),
          stream,
          pipeline: String(item.pipeline),
          startedAt: String(item.createdAt),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && entries.length <= limit);
    const executions = entries.slice(0, limit);
    const last = executions.at(-1);
    return {
      executions,
      ...(entries.length > limit && last ? { nextCursor: encodeCursor(last.startedAt, last.stream) } : {}),
    };
  }

  /** Which pipeline an execution belongs to, from its stream's head; `undefined` when unknown. */
  async findExecution(executionId: string): Promise<{ pipeline: string; stream: string } | undefined> {
    const stream = `execution-${executionId}`;
    if (stream.includes('#')) return undefined;
    const head = await this.#head(stream);
    return head?.pipeline === undefined ? undefined : { pipeline: head.pipeline, stream };
  }

  /** Nothing to release: the injected client belongs to the caller (`client.destroy()`). */
  async close(): Promise<void> {}

  /** Runs one request; whatever DynamoDB or the SDK throws leaves as an `AwsAdapterError`. */
  async #send<T>(
    doing: string,
    stream: string,
    request: (doc: DynamoDBDocumentClient) => Promise<T>,
  ): Promise<T> {
    try {
      return await request(this.#doc);
    } catch (error) {
      throw dynamoRequestError(error, doing, stream);
    }
  }

  async #head(stream: string): Promise<StreamHead | undefined> {
    return (await this.#headItem(stream, ['version', 'pipeline', 'kind'])) as StreamHead | undefined;
  }

  /** A consistent read of these attributes of the stream's head item. */
  async #headItem(
    stream: string,
    attributes: readonly string[],
  ): Promise<Record<string, unknown> | undefined> {
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    const { Item } = await this.#send('read of the head of', stream, (doc) =>
      doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: stream, sk: 0 },
          ConsistentRead: true,
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
        }),
      ),
    );
    return Item;
  }

  /** The ids among `ids` already stored in `stream` (consistent reads of their id items). */
  async #storedIds(stream: string, ids: readonly string[]): Promise<Set<string>> {
    const stored = new Set<string>();
    const distinct = [...new Set(ids)];
    for (let i = 0; i < distinct.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = distinct
        .slice(i, i + 100)
        .map((id) => ({ pk: eventIdKey(stream, id), sk: 0 }));
      while (keys && keys.length > 0) {
        const batch: Record<string, unknown>[] = keys;
        const result: BatchGetCommandOutput = await this.#send('read of the event ids of', stream, (doc) =>
          doc.send(
            new BatchGetCommand({
              RequestItems: {
                [this.#table]: { Keys: batch, ConsistentRead: true, ProjectionExpression: 'pk' },
              },
            }),
          ),
        );
        for (const item of result.Responses?.[this.#table] ?? []) {
          stored.add(String(item.pk).slice(eventIdKey(stream, '').length));
        }
        keys = result.UnprocessedKeys?.[this.#table]?.Keys;
      }
    }
    return stored;
  }
}

/** True when a transaction was cancelled only by conditions or conflicting transactions. */
function isLostRace(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.every((r) => CONCURRENCY_CODES.has(r.Code ?? 'None'));
}

function encodeCursor(createdAt: string, stream: string): string {
  return Buffer.from(JSON.stringify([createdAt, stream])).toString('base64url');
}

function cursorKey(cursor: string, gsi1pk: string): Record<string, unknown> {
  try {
    const [createdAt, stream] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof stream === 'string' && stream.startsWith('execution-')) {
      return { pk: stream, sk: 0, gsi1pk, gsi1sk: `${createdAt}#${stream}` };
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError(
    `invalid cursor "${cursor}": pass the nextCursor of the previous page unchanged`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
