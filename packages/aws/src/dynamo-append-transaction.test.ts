import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventRecord, NewEventRecord } from '@pipewright/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendTransaction, dynamoRequestError } from './dynamo-append-transaction.ts';
import { DynamoEventStore } from './dynamo-event-store.ts';
import { AwsAdapterError } from './errors.ts';
import { eventItem, itemBytes, MAX_TRANSACTION_BYTES } from './event-table.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from './testing/local-dynamodb.ts';

let local: LocalDynamoDb;
beforeAll(async () => {
  local = await startLocalDynamoDb();
});
afterAll(async () => {
  await local.close();
});

const ev = (id: string, size: number): NewEventRecord => ({
  id,
  type: 'Test',
  at: '2026-11-23T10:00:00.000Z',
  data: 'x'.repeat(size),
});

/** `count` events numbered from `from + 1` whose event items alone take `total` bytes. */
function eventsTaking(total: number, count: number, from = 0): NewEventRecord[] {
  const bases = Array.from({ length: count }, (_, i) =>
    itemBytes(eventItem('s', from + i + 1, ev(`e${from + i}`, 0)) as unknown as Record<string, unknown>),
  );
  let rest = total - bases.reduce((a, b) => a + b, 0);
  return bases.map((_, i) => {
    const size = i === count - 1 ? rest : Math.floor(rest / (count - i));
    rest -= size;
    return ev(`e${from + i}`, size);
  });
}

const numbered = (events: NewEventRecord[], from: number): EventRecord[] =>
  events.map((e, i) => ({ ...e, stream: 's', seq: from + i + 1 }));

/** The largest size of the last event `appendTransaction` accepts (binary search on the pure check). */
function largestAccepted(events: NewEventRecord[], from: number): NewEventRecord[] {
  const head = from === 0 ? undefined : { version: from, kind: 'other' };
  const last = events.length - 1;
  const build = (size: number) => events.map((e, i) => (i === last ? ev(e.id, size) : e));
  const fits = (size: number) => {
    try {
      appendTransaction({
        table: 't',
        stream: 's',
        head,
        appended: numbered(build(size), from),
        pipeline: undefined,
      });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = 400 * 1024;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return build(low);
}

describe('appendTransaction on DynamoDB Local', () => {
  it('refuses 11 events of 4,194,190 B: with their id items and the stream head they pass 4 MB', async () => {
    // Prepare: what DynamoDB refused with a raw ValidationException when only event items were counted
    const store = new DynamoEventStore({ client: local.client(), tableName: await local.createEventTable() });
    const events = eventsTaking(4_194_190, 11);
    const sent = local.calls.get('TransactWriteItems') ?? 0;
    // Act
    const error = await store.append('s', events, { expectedVersion: 0 }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(AwsAdapterError);
    expect((error as AwsAdapterError).code).toBe('PW6002');
    expect((error as Error).message).toMatch(/with their id items and the stream head.*smaller batches/);
    expect(local.calls.get('TransactWriteItems') ?? 0).toBe(sent);
    expect(await store.version('s')).toBe(0);
  });

  it.each([
    ['a new stream (the head is put)', 0],
    ['a stream that exists (the head is updated)', 3],
  ])('appends to %s the largest batch the check allows, and refuses one byte more', async (_, from) => {
    // Prepare
    const store = new DynamoEventStore({ client: local.client(), tableName: await local.createEventTable() });
    if (from > 0) await store.append('s', numbered(eventsTaking(1000, from), 0), { expectedVersion: 0 });
    const largest = largestAccepted(eventsTaking(MAX_TRANSACTION_BYTES - 2000, 11, from), from);
    const over = largest.map((e, i) =>
      i === largest.length - 1 ? ev(e.id, (e.data as string).length + 1) : e,
    );
    // Act
    const refused = await store.append('s', over, { expectedVersion: from }).catch((e: unknown) => e);
    const result = await store.append('s', largest, { expectedVersion: from });
    // Assess: DynamoDB itself takes what the check lets through
    expect((refused as AwsAdapterError).code).toBe('PW6002');
    expect(result.version).toBe(from + 11);
    expect((await store.read('s', { fromSeq: from + 1 })).map((e) => e.id)).toEqual(largest.map((e) => e.id));
  });

  it('turns a request DynamoDB refuses (a missing table) into AwsAdapterError PW6006 saying what to check', async () => {
    const store = new DynamoEventStore({ client: local.client(), tableName: 'no-such-table' });
    const error = await store.read('s').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAdapterError);
    expect((error as AwsAdapterError).code).toBe('PW6006');
    expect((error as AwsAdapterError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/ResourceNotFoundException.*check that the table exists/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe('dynamoRequestError', () => {
  const sdkError = (name: string, status: number) =>
    Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

  it('marks throttling and 5xx answers retryable, client errors terminal', () => {
    expect(
      dynamoRequestError(sdkError('ProvisionedThroughputExceededException', 400), 'read of', 's'),
    ).toMatchObject({
      code: 'PW6006',
      retryable: true,
    });
    expect(dynamoRequestError(sdkError('InternalServerError', 500), 'read of', 's').retryable).toBe(true);
    expect(dynamoRequestError(sdkError('ValidationException', 400), 'append to', 's')).toMatchObject({
      code: 'PW6006',
      retryable: false,
      message: expect.stringMatching(/DynamoDB failed the append to s \(ValidationException: /),
    });
  });

  it('lets an AwsAdapterError through unchanged', () => {
    const original = new AwsAdapterError('PW6002', 'too big');
    expect(dynamoRequestError(original, 'append to', 's')).toBe(original);
  });

  it('converts an error of every request the store sends (mocked: a ValidationException)', async () => {
    // Prepare
    const store = new DynamoEventStore({ client: local.client(), tableName: 't' });
    const doc = mockClient(DynamoDBDocumentClient);
    doc.on(GetCommand).rejects(sdkError('ValidationException', 400));
    doc.on(BatchGetCommand).rejects(sdkError('ValidationException', 400));
    doc.on(QueryCommand).rejects(sdkError('ValidationException', 400));
    try {
      // Act
      const errors = await Promise.all([
        store.version('s').catch((e: unknown) => e),
        store.append('s', [ev('a', 1)], { expectedVersion: 0 }).catch((e: unknown) => e),
        store.findExecution('x').catch((e: unknown) => e),
        store.read('s').catch((e: unknown) => e),
        store.listExecutions('p').catch((e: unknown) => e),
      ]);
      // Assess
      expect(errors.map((e) => (e as AwsAdapterError).code)).toEqual(Array(5).fill('PW6006'));
    } finally {
      doc.restore();
    }
  });
});
