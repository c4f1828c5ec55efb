import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore } from './dynamo-event-store.ts';
import { DEFAULT_TASK_TOKEN_TTL_SECONDS, DynamoTaskTokens } from './dynamo-task-tokens.ts';
import { eventTableTimeToLive } from './event-table.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from './testing/local-dynamodb.ts';

let local: LocalDynamoDb;
beforeAll(async () => {
  local = await startLocalDynamoDb();
});
afterAll(async () => {
  await local.close();
});

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

// The port's behaviour (put, get, replace, delete, key separation) is test/contracts/task-tokens.contract.ts.
describe('DynamoTaskTokens', () => {
  it('keeps a token under token#<key> with an expiresAt TTL, and gives it back', async () => {
    // Prepare
    const table = await local.createEventTable();
    const tokens = new DynamoTaskTokens({ client: local.client(), tableName: table, now: () => NOW });
    // Act
    await tokens.put('7f0c/action/Approval/Release/0', 'AAAA-token');
    // Assess
    expect(await tokens.get('7f0c/action/Approval/Release/0')).toBe('AAAA-token');
    const { Item } = await DynamoDBDocumentClient.from(local.client()).send(
      new GetCommand({ TableName: table, Key: { pk: 'token#7f0c/action/Approval/Release/0', sk: 0 } }),
    );
    expect(Item).toEqual({
      pk: 'token#7f0c/action/Approval/Release/0',
      sk: 0,
      item: 'task-token',
      token: 'AAAA-token',
      expiresAt: NOW / 1000 + DEFAULT_TASK_TOKEN_TTL_SECONDS,
    });
    expect(eventTableTimeToLive(table).TimeToLiveSpecification?.AttributeName).toBe('expiresAt');
  });

  it('treats a token past its TTL as gone before DynamoDB deletes it', async () => {
    const table = await local.createEventTable();
    let now = NOW;
    const tokens = new DynamoTaskTokens({
      client: local.client(),
      tableName: table,
      ttlSeconds: 60,
      now: () => now,
    });
    await tokens.put('k', 'token');
    now += 59_000;
    expect(await tokens.get('k')).toBe('token');
    now += 1_000;
    expect(await tokens.get('k')).toBeUndefined();
  });

  it('keeps tokens apart from event streams on the same table', async () => {
    const table = await local.createEventTable();
    const tokens = new DynamoTaskTokens({ client: local.client(), tableName: table });
    await tokens.put('execution-7f0c', 'token');
    const store = new DynamoEventStore({ client: local.client(), tableName: table });
    expect(await store.version('execution-7f0c')).toBe(0);
    expect(await store.read('execution-7f0c')).toEqual([]);
  });
});
