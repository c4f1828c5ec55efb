import { DynamoTaskTokens } from '@pipewright/aws';
import { afterAll, beforeAll } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../packages/aws/src/testing/local-dynamodb.ts';
import { runTaskTokensContract } from './task-tokens.contract.ts';

let local: LocalDynamoDb;
beforeAll(async () => {
  local = await startLocalDynamoDb();
});
afterAll(async () => {
  await local.close();
});

runTaskTokensContract(
  'DynamoDB (DynamoDB Local)',
  async () => new DynamoTaskTokens({ client: local.client(), tableName: await local.createEventTable() }),
);
