import {
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from './local-dynamodb.ts';

let local: LocalDynamoDb;
beforeAll(async () => {
  local = await startLocalDynamoDb();
});
afterAll(async () => {
  await local.close();
});

const key = (pk: string) => ({ pk: { S: pk }, sk: { N: '0' } });
const notThere = 'attribute_not_exists(pk)';

describe('transactWriteItems (local DynamoDB)', () => {
  it('writes nothing when one condition fails, and names the failing action', async () => {
    // Prepare
    const table = await local.createEventTable();
    const client = local.client();
    await client.send(new PutItemCommand({ TableName: table, Item: { ...key('b'), v: { N: '1' } } }));
    await client.send(new PutItemCommand({ TableName: table, Item: { ...key('c'), v: { N: '1' } } }));
    // Act
    const error = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: { TableName: table, Item: { ...key('a'), v: { N: '1' } }, ConditionExpression: notThere },
            },
            {
              Update: {
                TableName: table,
                Key: key('c'),
                UpdateExpression: 'SET v = :two',
                ExpressionAttributeValues: { ':two': { N: '2' } },
              },
            },
            {
              Put: { TableName: table, Item: { ...key('b'), v: { N: '9' } }, ConditionExpression: notThere },
            },
          ],
        }),
      )
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
      'None',
      'None',
      'ConditionalCheckFailed',
    ]);
    const get = async (pk: string) =>
      (await client.send(new GetItemCommand({ TableName: table, Key: key(pk), ConsistentRead: true }))).Item;
    expect(await get('a')).toBeUndefined();
    expect((await get('b'))?.v).toEqual({ N: '1' });
    expect((await get('c'))?.v).toEqual({ N: '1' });
  });

  it('applies every action when all conditions hold', async () => {
    const table = await local.createEventTable();
    const client = local.client();
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: key('a'), ConditionExpression: notThere } },
          { Put: { TableName: table, Item: key('b'), ConditionExpression: notThere } },
        ],
      }),
    );
    const found = await client.send(
      new GetItemCommand({ TableName: table, Key: key('b'), ConsistentRead: true }),
    );
    expect(found.Item).toEqual(key('b'));
  });

  it('refuses two actions on one item and more than 100 actions, as DynamoDB does', async () => {
    const table = await local.createEventTable();
    const client = local.client();
    const twice = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: key('a') } },
            { Delete: { TableName: table, Key: key('a') } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect((twice as Error).name).toBe('ValidationException');
    const many = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: Array.from({ length: 101 }, (_, i) => ({
            Put: { TableName: table, Item: key(`k${i}`) },
          })),
        }),
      )
      .catch((e: unknown) => e);
    expect((many as Error).name).toBe('ValidationException');
  });
});
