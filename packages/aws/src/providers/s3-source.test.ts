import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { zipArtifact } from '../artifact-zip.ts';
import { awsError, mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsS3SourceProvider } from './s3-source.ts';
import { type AwsTestRun, makeAwsRun } from './testing/make-run.ts';

const client = new S3Client(UNREACHABLE);
const s3 = mockedClient(client);
const options = { s3: client, retry: { delayMs: () => 0 } };
const text = (s: string) => new TextEncoder().encode(s);
const body = (bytes: Uint8Array) => ({ transformToByteArray: async () => bytes }) as never;
const ZIP = zipArtifact([
  { path: 'appspec.yml', type: 'file', executable: false, data: text('version: 0.0\n') },
  { path: 'bin/start', type: 'file', executable: true, data: text('#!/bin/sh\n') },
]);

let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function s3Run(configuration: Record<string, string>) {
  t = await makeAwsRun({
    action: {
      name: 'Bundle',
      actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
      configuration,
      outputArtifacts: [{ name: 'BundleOut' }],
    },
  });
  return t;
}

describe('awsS3SourceProvider', () => {
  it('reads the latest version, extracts the zip as the artifact and exports ETag and VersionId', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves({
      Body: body(ZIP),
      VersionId: 'v-3',
      ETag: '"9b2cf535f27731c974343645a3985328"',
    });
    const { run, stored } = await s3Run({ S3Bucket: 'acme-releases', S3ObjectKey: 'web/app.zip' });
    // Act
    const outcome = await awsS3SourceProvider(options).run(run);
    // Assess
    expect(s3.calls().map((c) => c.args[0].input)).toEqual([{ Bucket: 'acme-releases', Key: 'web/app.zip' }]);
    expect(stored.get('BundleOut')).toEqual({ 'appspec.yml': 'version: 0.0\n', 'bin/start': '#!/bin/sh\n' });
    expect(outcome).toMatchObject({
      status: 'Succeeded',
      outputVariables: { ETag: '9b2cf535f27731c974343645a3985328', VersionId: 'v-3' },
      summary: 's3://acme-releases/web/app.zip version v-3',
    });
  });

  it('keeps an object that is not a zip as the artifact’s one file', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(text('{"a":1}')), VersionId: 'v-1', ETag: '"e"' });
    const { run, stored } = await s3Run({ S3Bucket: 'acme-releases', S3ObjectKey: 'config/settings.json' });
    expect(await awsS3SourceProvider(options).run(run)).toMatchObject({ status: 'Succeeded' });
    expect(stored.get('BundleOut')).toEqual({ 'settings.json': '{"a":1}' });
  });

  it('refuses an unversioned bucket and a zip that escapes the artifact', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(ZIP), ETag: '"e"' });
    const { run } = await s3Run({ S3Bucket: 'acme-releases', S3ObjectKey: 'app.zip' });
    expect(await awsS3SourceProvider(options).run(run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('bucket acme-releases is not versioned'),
      },
    });
    const evil = zipArtifact([{ path: '../outside', type: 'file', executable: false, data: text('x') }]);
    s3.reset();
    s3.on(GetObjectCommand).resolves({ Body: body(evil), VersionId: 'v', ETag: '"e"' });
    expect(await awsS3SourceProvider(options).run(run)).toMatchObject({ status: 'Failed' });
  });

  it('retries throttling, fails a missing object as RevisionUnavailable and access denied at once', async () => {
    s3.on(GetObjectCommand)
      .rejectsOnce(awsError('SlowDown', 503))
      .resolves({ Body: body(ZIP), VersionId: 'v-3', ETag: '"e"' });
    const { run } = await s3Run({ S3Bucket: 'acme-releases', S3ObjectKey: 'app.zip' });
    expect(await awsS3SourceProvider(options).run(run)).toMatchObject({ status: 'Succeeded' });
    expect(s3.calls()).toHaveLength(2);
    s3.reset();
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 404));
    expect(await awsS3SourceProvider(options).run(run)).toMatchObject({
      error: {
        type: 'RevisionUnavailable',
        message: 's3://acme-releases/app.zip does not exist; upload it, or fix S3ObjectKey',
      },
    });
    s3.reset();
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied', 403));
    expect(await awsS3SourceProvider(options).run(run)).toMatchObject({ error: { type: 'PermissionError' } });
    expect(s3.calls()).toHaveLength(1);
  });

  it('reads the version the trigger saw when the engine pins it', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(ZIP), VersionId: 'v-2', ETag: '"e"' });
    const { run } = await s3Run({
      S3Bucket: 'acme-releases',
      S3ObjectKey: 'app.zip',
      S3ObjectVersionId: 'v-2',
    });
    expect(await awsS3SourceProvider(options).run(run)).toMatchObject({
      outputVariables: { VersionId: 'v-2' },
    });
    expect(s3.calls()[0]?.args[0].input).toEqual({
      Bucket: 'acme-releases',
      Key: 'app.zip',
      VersionId: 'v-2',
    });
  });
});
