import { S3ArtifactStore } from '@pipewright/aws';
import { afterAll, beforeAll } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../packages/aws/src/testing/local-s3.ts';
import { runArtifactStoreContract } from './artifact-store.contract.ts';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3.close();
});

runArtifactStoreContract(
  'S3 (s3rver)',
  async () => new S3ArtifactStore({ client: s3.client(), bucket: await s3.createBucket() }),
);
