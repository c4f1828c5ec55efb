import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { awsS3DeployProvider } from './s3-deploy.ts';
import { type AwsTestRun, makeAwsRun } from './testing/make-run.ts';

/** s3rver ships no types; only its constructor, run and close are used. */
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: object) => S3rverServer;

const SITE = {
  'index.html': '<h1>hi</h1>',
  'assets/app.js': 'console.log(1)',
  'assets/logo.svg': '<svg/>',
  'data.bin': 'x',
};
const KMS = 'arn:aws:kms:eu-west-1:123456789012:key/site-key';

let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function deployRun(configuration: Record<string, string>) {
  t = await makeAwsRun({
    action: {
      name: 'Publish',
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' },
      configuration,
    },
    inputs: { Site: SITE },
  });
  return t;
}

describe('awsS3DeployProvider against s3rver', () => {
  let server: S3rverServer;
  let dir: string;
  let s3: S3Client;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pw-aws-s3rver-'));
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'site' }],
    });
    const { port } = await server.run();
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });
  afterAll(async () => {
    s3.destroy();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (key: string) => s3.send(new GetObjectCommand({ Bucket: 'site', Key: key }));

  it('puts every file under the ObjectKey prefix with its content type and CacheControl', async () => {
    const { run, lines } = await deployRun({
      BucketName: 'site',
      Extract: 'true',
      ObjectKey: '/v1/',
      CacheControl: 'max-age=60',
    });
    expect(await awsS3DeployProvider({ s3 }).run(run)).toEqual({
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
      summary: 'Deployed 4 object(s) to s3://site/v1/',
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'site', Prefix: 'v1/' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([
      'v1/assets/app.js',
      'v1/assets/logo.svg',
      'v1/data.bin',
      'v1/index.html',
    ]);
    const page = await get('v1/index.html');
    expect(await page.Body?.transformToString()).toBe('<h1>hi</h1>');
    expect(page.ContentType).toBe('text/html; charset=utf-8');
    expect(page.CacheControl).toBe('max-age=60');
    expect((await get('v1/assets/logo.svg')).ContentType).toBe('image/svg+xml');
    expect((await get('v1/data.bin')).ContentType).toBe('application/octet-stream');
    expect(lines.map((l) => l.text).join('')).toContain('uploaded 4 object(s) to s3://site/v1/');
  });

  it('puts the artifact as one zip at ObjectKey when Extract is false, and the same bytes again on a duplicate', async () => {
    const { run } = await deployRun({ BucketName: 'site', Extract: 'false', ObjectKey: 'releases/site.zip' });
    const provider = awsS3DeployProvider({ s3 });
    expect(await provider.run(run)).toMatchObject({ status: 'Succeeded' });
    const first = await (await get('releases/site.zip')).Body?.transformToByteArray();
    expect(await provider.run(run)).toMatchObject({ status: 'Succeeded' });
    const second = await (await get('releases/site.zip')).Body?.transformToByteArray();
    expect(Buffer.from(second ?? []).equals(Buffer.from(first ?? []))).toBe(true);
    const entries = unzipSync(first ?? new Uint8Array());
    expect(Object.keys(entries).sort()).toEqual([
      'assets/app.js',
      'assets/logo.svg',
      'data.bin',
      'index.html',
    ]);
    expect(new TextDecoder().decode(entries['assets/app.js'])).toBe('console.log(1)');
    expect((await get('releases/site.zip')).ContentType).toBe('application/zip');
  });

  it('fails with a ConfigurationError when the bucket does not exist', async () => {
    const { run } = await deployRun({ BucketName: 'no-such-bucket', Extract: 'true' });
    expect(await awsS3DeployProvider({ s3 }).run(run)).toMatchObject({
      status: 'Failed',
      error: { type: 'ConfigurationError', message: expect.stringContaining('NoSuchBucket') },
    });
  });
});

describe('awsS3DeployProvider requests', () => {
  const client = new S3Client({ ...UNREACHABLE, region: 'eu-west-1' });
  const s3 = mockedClient(client);

  it('encrypts every object with KMSEncryptionKeyARN and applies the canned ACL', async () => {
    s3.on(PutObjectCommand).resolves({});
    const { run } = await deployRun({
      BucketName: 'www.example.com',
      Extract: 'true',
      KMSEncryptionKeyARN: KMS,
      CannedACL: 'public-read',
    });
    expect(await awsS3DeployProvider({ s3: client }).run(run)).toMatchObject({ status: 'Succeeded' });
    const inputs = s3
      .commandCalls(PutObjectCommand)
      .map((c) => ({ ...c.args[0].input, Body: String(c.args[0].input.Body) }));
    expect(inputs).toEqual([
      {
        Bucket: 'www.example.com',
        Key: 'assets/app.js',
        Body: 'console.log(1)',
        ContentType: 'text/javascript; charset=utf-8',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KMS,
        ACL: 'public-read',
      },
      expect.objectContaining({ Key: 'assets/logo.svg', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KMS }),
      expect.objectContaining({ Key: 'data.bin', ServerSideEncryption: 'aws:kms' }),
      expect.objectContaining({ Key: 'index.html', ACL: 'public-read' }),
    ]);
  });

  it('maps access denied to a PermissionError and refuses bad configuration before writing', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const { run } = await deployRun({ BucketName: 'www.example.com', Extract: 'true' });
    const provider = awsS3DeployProvider({ s3: client });
    expect(await provider.run(run)).toMatchObject({
      error: { type: 'PermissionError', message: expect.stringContaining('Access Denied') },
    });
    s3.reset();
    run.action.configuration = { BucketName: 'b', Extract: 'true', ObjectKey: 'a/../../b' };
    expect(await provider.run(run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('".."') },
    });
    run.action.configuration = { BucketName: 'b', Extract: 'false' };
    expect(await provider.run(run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('configuration.ObjectKey') },
    });
    run.action.configuration = { BucketName: 'b', Extract: 'true', CannedACL: 'everyone' };
    expect(await provider.run(run)).toMatchObject({
      error: { message: expect.stringContaining('configuration.CannedACL') },
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
