import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { StoredArtifact } from '@pipewright/engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { zipArtifact } from './artifact-zip.ts';
import { AwsAdapterError } from './errors.ts';
import { S3ArtifactStore } from './s3-artifact-store.ts';
import { buildWorkspace, snapshotTree } from './testing/artifact-trees.ts';
import { handmadeZip } from './testing/handmade-zip.ts';
import { type LocalS3, startLocalS3 } from './testing/local-s3.ts';
import { mockedClient, UNREACHABLE } from './testing/mocked-client.ts';

let s3: LocalS3;
let client: S3Client;
let bucket: string;
beforeAll(async () => {
  s3 = await startLocalS3();
  client = s3.client();
  bucket = await s3.createBucket();
});
afterAll(async () => {
  await s3.close();
});

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pipewright-s3-artifacts-'));
  dirs.push(dir);
  return dir;
}

async function workspace(): Promise<string> {
  return buildWorkspace(await tempDir());
}

const snapshot = snapshotTree;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function failure(promise: Promise<unknown>): Promise<AwsAdapterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwsAdapterError);
  return error as AwsAdapterError;
}

async function putRaw(key: string, body: Uint8Array): Promise<string> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return `s3://${bucket}/${key}`;
}

// The port's behaviour (round trip, modes, links, selection, dedup, empty and missing
// artifacts) is test/contracts/artifact-store.contract.ts; here is what is S3's own.
describe('S3ArtifactStore on s3rver', () => {
  it('stores a zip named by its sha256, whose bytes hash to that sha256', async () => {
    const store = new S3ArtifactStore({ client, bucket });
    const artifact = await store.putDirectory(await workspace(), { name: 'Site', baseDirectory: 'dist' });
    const key = `artifacts/sha256/${artifact.sha256}.zip`;
    expect(artifact.uri).toBe(`s3://${bucket}/${key}`);
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await object.Body?.transformToByteArray();
    expect(sha256(bytes ?? new Uint8Array())).toBe(artifact.sha256);
    expect(object.ContentType).toBe('application/zip');
  });

  it('stores the same content once: one PutObject, the same uri', async () => {
    const dir = await workspace();
    const store = new S3ArtifactStore({ client, bucket, prefix: 'once' });
    const before = s3.commands.length;
    const first = await store.putDirectory(dir, { name: 'A', files: ['src/**'] });
    // Another modification time must not change the zip.
    await utimes(
      join(dir, 'src/main.ts'),
      new Date('2031-05-06T07:08:09Z'),
      new Date('2031-05-06T07:08:09Z'),
    );
    const second = await store.putDirectory(dir, { name: 'B', files: ['./src/'] });
    expect(second).toEqual({ ...first, name: 'B' });
    expect(first.uri).toBe(`s3://${bucket}/once/sha256/${first.sha256}.zip`);
    expect(s3.commands.slice(before)).toEqual(['HeadObjectCommand', 'PutObjectCommand', 'HeadObjectCommand']);
  });

  it('adopts a zip someone else wrote (Info-ZIP zip, as CodeBuild does) and extracts it', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'build/lib'), { recursive: true });
    await writeFile(join(dir, 'build/lib/a.js'), 'module.exports = 1;\n');
    await writeFile(join(dir, 'build/start'), '#!/bin/sh\n', { mode: 0o755 });
    execFileSync('zip', ['-q', '-r', '-X', join(dir, 'out.zip'), '.'], { cwd: join(dir, 'build') });
    const zip = await readFile(join(dir, 'out.zip'));
    const uri = await putRaw('codebuild/web/BuildOutput/Xy12', zip);

    const store = new S3ArtifactStore({ client, bucket: 'some-other-bucket' });
    const adopted = await store.adopt('BuildOutput', uri);
    expect(adopted).toEqual({ name: 'BuildOutput', uri, sha256: sha256(zip), size: 20 + 10, files: 2 });
    const out = await tempDir();
    await store.extractTo(adopted, out);
    expect(await snapshot(out)).toEqual(await snapshot(join(dir, 'build')));
  });

  it('adopting what it stored describes it exactly as putDirectory did', async () => {
    const store = new S3ArtifactStore({ client, bucket });
    const stored = await store.putDirectory(await workspace(), { name: 'Site' });
    expect(await store.adopt('Site', stored.uri)).toEqual(stored);
  });

  it('rejects a zip-slip archive with a clear error and writes nothing outside', async () => {
    const zip = handmadeZip([
      { name: 'ok.txt', data: 'fine' },
      { name: '../../escaped.txt', data: 'pwned' },
    ]);
    const uri = await putRaw('evil/slip.zip', zip);
    const store = new S3ArtifactStore({ client, bucket });
    const adoptError = await failure(store.adopt('Evil', uri));
    expect(adoptError.code).toBe('PW6205');
    expect(adoptError.message).toContain('"../../escaped.txt"');
    expect(adoptError.message).toContain('zip-slip');

    const parent = await tempDir();
    const target = join(parent, 'a/b');
    const artifact: StoredArtifact = { name: 'Evil', uri, sha256: sha256(zip), size: 9, files: 2 };
    const extractError = await failure(store.extractTo(artifact, target));
    expect(extractError.code).toBe('PW6205');
    expect(await readdir(parent, { recursive: true })).toEqual([]);
  });

  it('notices an object replaced after it was stored', async () => {
    const store = new S3ArtifactStore({ client, bucket });
    const zip = zipArtifact([{ path: 'a', type: 'file', executable: false, data: new Uint8Array([1]) }]);
    const uri = await putRaw('replaced.zip', zip);
    const artifact = await store.adopt('A', uri);
    await putRaw('replaced.zip', zipArtifact([]));
    const error = await failure(store.extractTo(artifact, await tempDir()));
    expect(error.code).toBe('PW6204');
    expect(error.message).toContain('was replaced after it was stored');
  });

  it('says what to do when the object, the bucket or a zip is missing', async () => {
    const store = new S3ArtifactStore({ client, bucket });
    const gone = await failure(store.adopt('Gone', `s3://${bucket}/nothing/here.zip`));
    expect(gone.code).toBe('PW6203');
    expect(gone.message).toContain(`artifact Gone is not in S3 at s3://${bucket}/nothing/here.zip`);
    const noBucket = await failure(store.adopt('Gone', 's3://no-such-bucket-here/x.zip'));
    expect(noBucket.code).toBe('PW6206');
    expect(noBucket.message).toContain('bucket no-such-bucket-here does not exist');
    const notZip = await failure(
      store.adopt('Text', await putRaw('readme.txt', new TextEncoder().encode('hi'))),
    );
    expect(notZip.code).toBe('PW6204');
    const badUri = await failure(store.adopt('Local', `pipewright-artifact:sha256/${'a'.repeat(64)}`));
    expect(badUri.code).toBe('PW6201');
  });
});

describe('S3ArtifactStore requests (mocked S3)', () => {
  const mocked = new S3Client(UNREACHABLE);
  const mock = mockedClient(mocked);
  const notFound = () => new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });

  it('uploads with SSE-KMS and the given key, content type and SHA-256 checksum', async () => {
    mock.on(HeadObjectCommand).rejects(notFound());
    mock.on(PutObjectCommand).resolves({});
    const dir = await workspace();
    const store = new S3ArtifactStore({
      client: mocked,
      bucket: 'art',
      prefix: 'p/',
      kmsKeyId: 'alias/pipewright',
    });
    const artifact = await store.putDirectory(dir, { name: 'Src', files: ['src/**'] });
    const key = `p/sha256/${artifact.sha256}.zip`;
    expect(mock.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'art', Key: key });
    const put = mock.commandCalls(PutObjectCommand);
    expect(put).toHaveLength(1);
    const input = put[0]?.args[0].input;
    expect(input).toEqual({
      Bucket: 'art',
      Key: key,
      Body: expect.any(Uint8Array),
      ContentType: 'application/zip',
      ChecksumSHA256: Buffer.from(artifact.sha256, 'hex').toString('base64'),
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/pipewright',
    });
    expect(sha256(input?.Body as Uint8Array)).toBe(artifact.sha256);
  });

  it('asks for SSE-KMS with the bucket default key when no key is given', async () => {
    mock.on(HeadObjectCommand).rejects(notFound());
    mock.on(PutObjectCommand).resolves({});
    const store = new S3ArtifactStore({ client: mocked, bucket: 'art' });
    await store.putDirectory(await workspace(), { name: 'Src', files: ['src/**'] });
    const input = mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input?.ServerSideEncryption).toBe('aws:kms');
    expect(input && 'SSEKMSKeyId' in input).toBe(false);
  });

  it('does not upload what HeadObject finds', async () => {
    mock.on(HeadObjectCommand).resolves({ ContentLength: 10 });
    const store = new S3ArtifactStore({ client: mocked, bucket: 'art' });
    await store.putDirectory(await workspace(), { name: 'Src' });
    expect(mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('turns a denied or throttled request into PW6206 naming the object', async () => {
    mock
      .on(HeadObjectCommand)
      .rejects(
        new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 } }),
      );
    const store = new S3ArtifactStore({ client: mocked, bucket: 'art' });
    const denied = await failure(store.putDirectory(await workspace(), { name: 'Src' }));
    expect(denied.code).toBe('PW6206');
    expect(denied.retryable).toBe(false);
    expect(denied.message).toMatch(/HeadObject s3:\/\/art\/artifacts\/sha256\/[0-9a-f]{64}\.zip was denied/);
    expect(denied.message).toContain('grant s3:GetObject, s3:PutObject and s3:ListBucket on bucket art');

    mock.reset();
    mock.on(HeadObjectCommand).rejects(notFound());
    mock
      .on(PutObjectCommand)
      .rejects(
        new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 } }),
      );
    const slow = await failure(store.putDirectory(await workspace(), { name: 'Src' }));
    expect(slow.code).toBe('PW6206');
    expect(slow.retryable).toBe(true);
    expect(slow.message).toContain('try again later');
  });
});

describe('S3ArtifactStore.parseUri', () => {
  it('splits s3://bucket/key and rejects anything else', () => {
    expect(S3ArtifactStore.parseUri('s3://b-1/a/b c.zip')).toEqual({ bucket: 'b-1', key: 'a/b c.zip' });
    for (const bad of ['s3://bucket', 's3://bucket/', 'https://bucket/key', 's3:///key', '']) {
      expect(() => S3ArtifactStore.parseUri(bad)).toThrow(/PW6201.*s3:\/\/<bucket>\/<key>/);
    }
  });

  it('rejects a bucket option that is not a name', () => {
    expect(() => new S3ArtifactStore({ client, bucket: 's3://x/y' })).toThrow(/PW6201/);
  });
});
