import { S3ActionLogStore } from '@pipewright/aws';
import { afterAll, beforeAll } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../packages/aws/src/testing/local-s3.ts';
import { runActionLogStoreContract } from './action-log-store.contract.ts';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3.close();
});

runActionLogStoreContract(
  'S3 (s3rver)',
  async () => new S3ActionLogStore({ client: s3.client(), bucket: await s3.createBucket() }),
);
