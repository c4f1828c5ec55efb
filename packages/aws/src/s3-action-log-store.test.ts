import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { ActionLogRef } from '@pipewright/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsAdapterError } from './errors.ts';
import { S3ActionLogStore } from './s3-action-log-store.ts';
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

let n = 0;
function ref(overrides: Partial<ActionLogRef> = {}): ActionLogRef {
  n += 1;
  return {
    executionId: `exec-${n}`,
    stageName: 'Build',
    actionName: 'Unit tests',
    stageAttempt: 0,
    attempt: 1,
    ...overrides,
  };
}
// The port's behaviour (read back, prefixes, offsets, empty and missing logs, keys kept apart)
// is test/contracts/action-log-store.contract.ts; here is what is S3's own.
// An empty log read from an offset: S3 answers a range on an empty object with 416 (tested with
// the mock below); s3rver declares one byte and aborts the response instead.
describe('S3ActionLogStore on s3rver', () => {
  it('stores the log on close, as UTF-8 text', async () => {
    const logs = new S3ActionLogStore({ client, bucket });
    const r = ref();
    const log = await logs.open(r);
    log.write('stdout', 'npm test\n');
    expect(await logs.read(r)).toBeUndefined(); // nothing until close
    await log.close();
    expect(await logs.read(r)).toBe('npm test\n');
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: logs.keyOf(r) }));
    expect(object.ContentType).toBe('text/plain; charset=utf-8');
  });

  it('keys logs by attempt with URI-encoded parts', async () => {
    const logs = new S3ActionLogStore({ client, bucket, prefix: 'run-logs' });
    const r = ref({
      executionId: 'ex/1',
      stageName: 'Deploy prod',
      actionName: 'Ap%ply',
      stageAttempt: 2,
      attempt: 3,
    });
    expect(logs.keyOf(r)).toBe('run-logs/ex%2F1/Deploy%20prod/Ap%25ply/2-3.log');
    const log = await logs.open(r);
    log.write('stdout', 'deployed\n');
    await log.close();
    expect(await logs.read(r)).toBe('deployed\n');
  });

  it('uploads once however often close is called, and drops writes after close', async () => {
    const logs = new S3ActionLogStore({ client, bucket });
    const r = ref();
    const log = await logs.open(r);
    log.write('stdout', 'one\n');
    const before = s3.commands.filter((c) => c === 'PutObjectCommand').length;
    await Promise.all([log.close(), log.close()]);
    log.write('stdout', 'late\n');
    await log.close();
    expect(s3.commands.filter((c) => c === 'PutObjectCommand').length - before).toBe(1);
    expect(await logs.read(r)).toBe('one\n');
  });

  it('names the bucket when it does not exist', async () => {
    const logs = new S3ActionLogStore({ client, bucket: 'no-such-log-bucket' });
    const error = await logs.read(ref()).catch((e: unknown) => e);
    expect((error as AwsAdapterError).code).toBe('PW6206');
    expect((error as Error).message).toContain('bucket no-such-log-bucket does not exist');
  });
});

describe('S3ActionLogStore requests (mocked S3)', () => {
  const mocked = new S3Client(UNREACHABLE);
  const mock = mockedClient(mocked);

  it('sends one PutObject with the whole text and a 1 MiB ranged GET', async () => {
    mock.on(PutObjectCommand).resolves({});
    const logs = new S3ActionLogStore({ client: mocked, bucket: 'b' });
    const r = { executionId: 'e', stageName: 'S', actionName: 'A', stageAttempt: 0, attempt: 1 };
    const log = await logs.open(r);
    log.write('stdout', 'a');
    log.write('stderr', 'b');
    await log.close();
    expect(mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'b',
        Key: 'logs/e/S/A/0-1.log',
        Body: new TextEncoder().encode('ab'),
        ContentType: 'text/plain; charset=utf-8',
      },
    ]);
    mock
      .on(GetObjectCommand)
      .rejects(new S3ServiceException({ name: 'NoSuchKey', $fault: 'client', $metadata: {} }));
    await logs.readFrom(r, 5);
    expect(mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'b',
      Key: 'logs/e/S/A/0-1.log',
      Range: 'bytes=5-1048580',
    });
  });

  it('lets close be retried after a failed upload', async () => {
    mock
      .on(PutObjectCommand)
      .rejectsOnce(
        new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 } }),
      )
      .resolves({});
    const logs = new S3ActionLogStore({ client: mocked, bucket: 'b' });
    const log = await logs.open({
      executionId: 'e',
      stageName: 'S',
      actionName: 'A',
      stageAttempt: 0,
      attempt: 1,
    });
    log.write('stdout', 'kept\n');
    const error = await log.close().catch((e: unknown) => e);
    expect((error as AwsAdapterError).code).toBe('PW6206');
    expect((error as AwsAdapterError).retryable).toBe(true);
    await log.close();
    const bodies = mock
      .commandCalls(PutObjectCommand)
      .map((c) => Buffer.from(c.args[0].input.Body as Uint8Array));
    expect(bodies.map(String)).toEqual(['kept\n', 'kept\n']);
  });

  it('reads an empty log from offset 0 as empty: S3 answers 416 for any range of an empty object', async () => {
    mock.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'InvalidRange',
        $fault: 'client',
        $metadata: { httpStatusCode: 416 },
      }),
    );
    const logs = new S3ActionLogStore({ client: mocked, bucket: 'b' });
    const r = { executionId: 'e', stageName: 'S', actionName: 'A', stageAttempt: 0, attempt: 1 };
    expect(await logs.readFrom(r, 0)).toEqual(new Uint8Array(0));
  });

  it('reports a denied read as PW6206', async () => {
    mock.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const logs = new S3ActionLogStore({ client: mocked, bucket: 'b' });
    const r = { executionId: 'e', stageName: 'S', actionName: 'A', stageAttempt: 0, attempt: 1 };
    const error = await logs.read(r).catch((e: unknown) => e);
    expect((error as AwsAdapterError).code).toBe('PW6206');
    expect((error as Error).message).toContain('GetObject s3://b/logs/e/S/A/0-1.log was denied');
  });
});
