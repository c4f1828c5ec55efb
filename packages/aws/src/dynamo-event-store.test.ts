import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrencyConflictError, InvalidCursorError, type NewEventRecord } from '@pipewright/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore, MAX_EVENTS_PER_APPEND } from './dynamo-event-store.ts';
import { AwsAdapterError } from './errors.ts';
import { eventTableDefinition, MAX_ITEM_BYTES, MAX_TRANSACTION_ITEMS } from './event-table.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from './testing/local-dynamodb.ts';

const ev = (id: string, data: unknown = {}): NewEventRecord => ({
  id,
  type: 'Test',
  at: '2026-11-23T10:00:00.000Z',
  data,
});

let local: LocalDynamoDb;
beforeAll(async () => {
  local = await startLocalDynamoDb();
});
afterAll(async () => {
  await local.close();
});

async function fresh(): Promise<{ store: DynamoEventStore; table: string }> {
  const table = await local.createEventTable();
  return { store: new DynamoEventStore({ client: local.client(), tableName: table }), table };
}

async function scan(table: string): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(local.client());
  const { Items = [] } = await doc.send(new ScanCommand({ TableName: table }));
  return Items;
}

describe('eventTableDefinition', () => {
  it('declares the pk/sk keys, the executions GSI, on-demand billing and a NEW_IMAGE stream', () => {
    const definition = eventTableDefinition('events');
    expect(definition.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(definition.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
    });
    expect(definition.BillingMode).toBe('PAY_PER_REQUEST');
    expect(definition.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
  });
});

describe('DynamoEventStore', () => {
  it('stores each event, its id item and the stream head, indexed for listExecutions', async () => {
    // Prepare
    const { store, table } = await fresh();
    // Act
    await store.append('execution-7f0c', [ev('e1', { a: 1 }), ev('e2')], {
      expectedVersion: 0,
      pipeline: 'web',
    });
    await store.append('pipeline-web', [ev('p1')], { expectedVersion: 0, pipeline: 'web' });
    // Assess
    const items = await scan(table);
    const byKey = (pk: string, sk: number) => items.find((i) => i.pk === pk && i.sk === sk);
    expect(byKey('execution-7f0c', 0)).toEqual({
      pk: 'execution-7f0c',
      sk: 0,
      item: 'stream',
      version: 2,
      kind: 'execution',
      pipeline: 'web',
      createdAt: '2026-11-23T10:00:00.000Z',
      gsi1pk: 'pipeline#web',
      gsi1sk: '2026-11-23T10:00:00.000Z#execution-7f0c',
    });
    expect(byKey('execution-7f0c', 1)).toEqual({
      pk: 'execution-7f0c',
      sk: 1,
      item: 'event',
      id: 'e1',
      type: 'Test',
      at: '2026-11-23T10:00:00.000Z',
      data: '{"a":1}',
    });
    expect(byKey('id#execution-7f0c#e2', 0)).toEqual({
      pk: 'id#execution-7f0c#e2',
      sk: 0,
      item: 'event-id',
      stream: 'execution-7f0c',
      seq: 2,
    });
    expect(byKey('pipeline-web', 0)).not.toHaveProperty('gsi1pk');
    expect(items).toHaveLength(5 + 3); // per stream: events, their id items, the head
  });

  it(`appends ${MAX_EVENTS_PER_APPEND} events in one transaction and rejects one more, writing nothing`, async () => {
    // Prepare
    const { store, table } = await fresh();
    const batch = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ev(`${prefix}${i}`));
    expect(2 * MAX_EVENTS_PER_APPEND + 1).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
    // Act
    const ok = await store.append('s', batch(MAX_EVENTS_PER_APPEND, 'a'), { expectedVersion: 0 });
    const error = await store
      .append('s', batch(MAX_EVENTS_PER_APPEND + 1, 'b'), { expectedVersion: ok.version })
      .catch((e: unknown) => e);
    // Assess
    expect(ok.version).toBe(MAX_EVENTS_PER_APPEND);
    expect(error).toBeInstanceOf(AwsAdapterError);
    expect((error as AwsAdapterError).code).toBe('PW6001');
    expect((error as Error).message).toMatch(/append them in smaller batches/);
    expect(await store.version('s')).toBe(MAX_EVENTS_PER_APPEND);
    expect(await scan(table)).toHaveLength(2 * MAX_EVENTS_PER_APPEND + 1);
  });

  it('counts only fresh events against the limit: a redelivered full batch plus one new event appends', async () => {
    const { store } = await fresh();
    const full = Array.from({ length: MAX_EVENTS_PER_APPEND }, (_, i) => ev(`a${i}`));
    await store.append('s', full, { expectedVersion: 0 });
    const result = await store.append('s', [...full, ev('new')], { expectedVersion: MAX_EVENTS_PER_APPEND });
    expect(result.appended.map((e) => e.id)).toEqual(['new']);
    expect(result.duplicates).toHaveLength(MAX_EVENTS_PER_APPEND);
  });

  it('rejects an event over the 400 KB item limit before writing', async () => {
    const { store } = await fresh();
    const error = await store
      .append('s', [ev('small'), ev('big', 'x'.repeat(410 * 1024))], { expectedVersion: 0 })
      .catch((e: unknown) => e);
    expect((error as AwsAdapterError).code).toBe('PW6002');
    expect((error as Error).message).toMatch(/event big of s .*artifact store/);
    expect(await store.version('s')).toBe(0);
  });

  it("rejects a head whose snapshot passes the 400 KB item limit with PW6002, keeping the head's last one", async () => {
    const { store } = await fresh();
    const big = { view: 'x'.repeat(MAX_ITEM_BYTES) };
    const put = await store
      .append('p', [ev('a')], { expectedVersion: 0, snapshot: big })
      .catch((e: unknown) => e);
    expect(put).toBeInstanceOf(AwsAdapterError);
    expect((put as AwsAdapterError).code).toBe('PW6002');
    expect((put as Error).message).toMatch(
      /the head of p with its snapshot takes \d+ bytes, over DynamoDB's 409600-byte/,
    );
    await store.append('p', [ev('a')], { expectedVersion: 0, snapshot: { n: 1 } });
    const update = await store
      .append('p', [ev('b')], { expectedVersion: 1, snapshot: big })
      .catch((e: unknown) => e);
    expect((update as AwsAdapterError).code).toBe('PW6002');
    expect(await store.head('p')).toEqual({ version: 1, snapshot: { version: 1, data: { n: 1 } } });
  });

  it("stores the largest snapshot the size check lets through: its count is not below DynamoDB's", async () => {
    const { store } = await fresh();
    await store.append('p', [ev('a')], { expectedVersion: 0, snapshot: { n: 0 } });
    const sized = (length: number) => ({ v: 'x'.repeat(length - '{"v":""}'.length) });
    // The head's bytes besides the snapshot's JSON, from the check's own message.
    const probe = await store
      .append('p', [ev('b')], { expectedVersion: 1, snapshot: sized(MAX_ITEM_BYTES) })
      .catch((e: unknown) => e);
    const counted = Number(/takes (\d+) bytes/.exec((probe as Error).message)?.[1]);
    const largest = MAX_ITEM_BYTES - (counted - MAX_ITEM_BYTES);
    const over = await store
      .append('p', [ev('b')], { expectedVersion: 1, snapshot: sized(largest + 1) })
      .catch((e: unknown) => e);
    expect((over as Error).message).toMatch(/the head of p with its snapshot takes 409601 bytes/);
    await store.append('p', [ev('b')], { expectedVersion: 1, snapshot: sized(largest) });
    expect((await store.head('p')).snapshot).toEqual({ version: 2, data: sized(largest) });
  });

  it('reads a stream larger than one 1 MB Query page', async () => {
    // Prepare: 24 events of ~100 KB (three appends of eight)
    const { store } = await fresh();
    for (let b = 0; b < 3; b++) {
      const batch = Array.from({ length: 8 }, (_, i) => ev(`e${b * 8 + i}`, 'y'.repeat(100_000)));
      await store.append('big', batch, { expectedVersion: b * 8 });
    }
    const queriesBefore = local.calls.get('Query') ?? 0;
    // Act
    const all = await store.read('big');
    const tail = await store.read('big', { fromSeq: 3, limit: 15 });
    // Assess
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(tail.map((e) => e.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 3));
    expect((local.calls.get('Query') ?? 0) - queriesBefore).toBeGreaterThan(2);
  });

  it('turns a racing duplicate delivery into a no-op, not a conflict', async () => {
    const { store } = await fresh();
    const batch = [ev('a'), ev('b')];
    const results = await Promise.all([
      store.append('s', batch, { expectedVersion: 0 }),
      store.append('s', batch, { expectedVersion: 0 }),
      store.append('s', batch, { expectedVersion: 0 }),
    ]);
    expect(results.map((r) => r.appended.length).sort()).toEqual([0, 0, 2]);
    expect(results.every((r) => r.version === 2)).toBe(true);
    expect((await store.read('s')).map((e) => e.id)).toEqual(['a', 'b']);
  });

  it("keeps every event of concurrent expectedVersion 'any' writers, in one gapless order", async () => {
    const { store } = await fresh();
    await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        for (let i = 0; i < 5; i++) await store.append('log', [ev(`w${w}-${i}`)], { expectedVersion: 'any' });
      }),
    );
    const events = await store.read('log');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.id)).size).toBe(30);
  });

  it('refuses a stream name with "#", which would clash with id and token items', async () => {
    const { store } = await fresh();
    const error = await store.append('a#b', [ev('x')], { expectedVersion: 0 }).catch((e: unknown) => e);
    expect((error as AwsAdapterError).code).toBe('PW6003');
  });

  it('refuses a cursor it did not make', async () => {
    const { store } = await fresh();
    const error = await store.listExecutions('web', { cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCursorError);
    expect((error as Error).message).toMatch(/pass the nextCursor of the previous page unchanged/);
  });

  it('finds the pipeline of an execution from its stream head', async () => {
    const { store } = await fresh();
    await store.append('execution-7f0c', [ev('e1')], { expectedVersion: 0, pipeline: 'web' });
    expect(await store.findExecution('7f0c')).toEqual({ pipeline: 'web', stream: 'execution-7f0c' });
    expect(await store.findExecution('nope')).toBeUndefined();
  });
});

describe('DynamoEventStore on a mocked DynamoDB', () => {
  const cancelled = (...codes: string[]) =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: codes.map((Code) => ({ Code })),
    });

  async function mocked(maxAttempts?: number) {
    const mock = mockClient(DynamoDBDocumentClient);
    mock.on(GetCommand).resolves({ Item: { version: 3 } });
    mock.on(BatchGetCommand).resolves({ Responses: {} });
    const client = local.client();
    const store = new DynamoEventStore({
      client,
      tableName: 't',
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    });
    return { mock, store };
  }

  it('retries a transaction cancelled by a TransactionConflict', async () => {
    const { mock, store } = await mocked();
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'TransactionConflict'))
      .resolves({});
    try {
      const result = await store.append('s', [ev('a')], { expectedVersion: 3 });
      expect(result.version).toBe(4);
      expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
    } finally {
      mock.restore();
    }
  });

  it("gives up after maxAttempts lost races with a retryable ConcurrencyConflictError ('any')", async () => {
    const { mock, store } = await mocked(3);
    mock.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));
    try {
      const error = await store.append('s', [ev('a')], { expectedVersion: 'any' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect((error as ConcurrencyConflictError).retryable).toBe(true);
      expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
    } finally {
      mock.restore();
    }
  });

  it('reports a cancellation for throttling as a retryable AwsAdapterError, not a conflict', async () => {
    const { mock, store } = await mocked();
    mock.on(TransactWriteCommand).rejects(cancelled('ThrottlingError', 'None', 'None'));
    try {
      const error = await store.append('s', [ev('a')], { expectedVersion: 3 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsAdapterError);
      expect((error as AwsAdapterError).code).toBe('PW6005');
      expect((error as AwsAdapterError).retryable).toBe(true);
      expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
    } finally {
      mock.restore();
    }
  });

  it('sends the head update conditioned on the expected version', async () => {
    const { mock, store } = await mocked();
    mock.on(TransactWriteCommand).resolves({});
    try {
      await store.append('s', [ev('a')], { expectedVersion: 3 });
      const items = mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items).toHaveLength(3);
      expect(items[2]).toEqual({
        Update: {
          TableName: 't',
          Key: { pk: 's', sk: 0 },
          UpdateExpression: 'SET #v = :v',
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': 4, ':expected': 3 },
        },
      });
      expect(items[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
      expect(items[0]?.Put?.Item).toMatchObject({ pk: 's', sk: 4, id: 'a' });
    } finally {
      mock.restore();
    }
  });
});
