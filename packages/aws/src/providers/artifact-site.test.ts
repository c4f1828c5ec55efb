import { CopyObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { artifactSite, copyInputsTo } from './artifact-site.ts';
import { makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const client = new S3Client(UNREACHABLE);
const s3 = mockedClient(client);
const HOME = { region: 'eu-west-1', bucket: TEST_BUCKET, kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/pw' };
const CUSTOMER_KEY = 'arn:aws:kms:eu-west-1:1:key/customer';
const US_KEY = 'arn:aws:kms:us-east-1:1:key/us';
const pipeline = {
  artifactStores: {
    'eu-west-1': {
      type: 'S3' as const,
      location: 'acme-eu',
      encryptionKey: { id: CUSTOMER_KEY, type: 'KMS' as const },
    },
    'us-east-1': {
      type: 'S3' as const,
      location: 'acme-us',
      encryptionKey: { id: US_KEY, type: 'KMS' as const },
    },
  },
};

describe('artifactSite', () => {
  it('keeps Pipewright’s bucket at home, with the pipeline’s key when it declares one', () => {
    expect(artifactSite(undefined, undefined, HOME)).toEqual({
      bucket: TEST_BUCKET,
      kmsKeyArn: HOME.kmsKeyArn,
    });
    expect(artifactSite(pipeline, 'eu-west-1', HOME)).toEqual({
      bucket: TEST_BUCKET,
      kmsKeyArn: CUSTOMER_KEY,
    });
    expect(
      artifactSite(
        { artifactStore: { type: 'S3', location: 'x', encryptionKey: { id: CUSTOMER_KEY, type: 'KMS' } } },
        '',
        HOME,
      ),
    ).toEqual({ bucket: TEST_BUCKET, kmsKeyArn: CUSTOMER_KEY });
  });

  it('uses the artifact store of the action’s region, and refuses a region without one', () => {
    expect(artifactSite(pipeline, 'us-east-1', HOME)).toEqual({ bucket: 'acme-us', kmsKeyArn: US_KEY });
    expect(() => artifactSite(pipeline, 'ap-south-1', HOME)).toThrow(
      'the action runs in ap-south-1, but the pipeline has no artifact store there; add artifactStores.ap-south-1',
    );
  });
});

describe('copyInputsTo', () => {
  it('copies inputs from another bucket with the site’s key and points the run at the copies', async () => {
    s3.on(CopyObjectCommand).resolves({});
    const t = await makeAwsRun({ inputs: { Src: { a: 'a' }, Lib: { b: 'b' } } });
    const regional = await copyInputsTo(t.run, client, { bucket: 'acme-us', kmsKeyArn: US_KEY });
    expect(s3.commandCalls(CopyObjectCommand).map((c) => c.args[0].input)).toEqual(
      ['Src', 'Lib'].map((name) => ({
        Bucket: 'acme-us',
        Key: `artifacts/sha256/${name}.zip`,
        CopySource: `pw-artifacts/artifacts/sha256/${name}.zip`,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: US_KEY,
      })),
    );
    expect(regional.inputs.map((i) => i.artifact.uri)).toEqual([
      's3://acme-us/artifacts/sha256/Src.zip',
      's3://acme-us/artifacts/sha256/Lib.zip',
    ]);
    expect(t.run.inputs[0]?.artifact.uri).toBe('s3://pw-artifacts/artifacts/sha256/Src.zip');
    s3.reset();
    expect(await copyInputsTo(t.run, client, { bucket: TEST_BUCKET })).toEqual(t.run);
    expect(s3.calls()).toHaveLength(0);
    await t.cleanup();
  });
});
