import { DynamoEventStore } from '@pipewright/aws';
import { afterAll, beforeAll } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../packages/aws/src/testing/local-dynamodb.ts';
import { runEventStoreContract } from './event-store.contract.ts';

let local: LocalDynamoDb;
beforeAll(async () => {
  local = await startLocalDynamoDb();
});
afterAll(async () => {
  await local.close();
});

runEventStoreContract(
  'DynamoDB (DynamoDB Local)',
  async () => new DynamoEventStore({ client: local.client(), tableName: await local.createEventTable() }),
);
