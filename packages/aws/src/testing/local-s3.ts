/**
 * Test support (not exported from the package): an in-process S3 for tests — `s3rver` on
 * 127.0.0.1 (an ephemeral port) storing into a temporary directory. It checks request
 * signatures (the fake key pair `test`/`test` is registered with it) and implements
 * Put/Get/HeadObject with ranges, but ignores SSE-KMS headers and checksums (what a test must
 * prove about those headers it proves on the request input, with aws-sdk-client-mock), and it
 * aborts a ranged GET of an empty object where S3 answers 416 (tested with the mock too).
 * Clients made by {@link LocalS3.client} use path-style addressing and record the commands
 * they send, so a test can count uploads.
 *
 * @example
 * ```ts
 * const s3 = await startLocalS3();
 * const bucket = await s3.createBucket();
 * const client = s3.client();
 * await s3.close();
 * ```
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import account from 's3rver/lib/models/account.js';

/** A running local S3. @example `const client = (await startLocalS3()).client();` */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** A new path-style client pointed at the local S3 (destroyed by {@link close}). */
  client(): S3Client;
  /** Creates a fresh bucket and returns its name. */
  createBucket(): Promise<string>;
  /** Names of the commands every client made here has sent (`PutObjectCommand`, …), in order. */
  readonly commands: string[];
  close(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Starts s3rver on an ephemeral loopback port over a fresh temporary directory.
 *
 * @example
 * ```ts
 * const s3 = await startLocalS3();
 * ```
 */
export async function startLocalS3(): Promise<LocalS3> {
  account.DUMMY_ACCOUNT.createKeyPair(CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey);
  const directory = await mkdtemp(join(tmpdir(), 'pipewright-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  const commands: string[] = [];
  let buckets = 0;
  const client = (): S3Client => {
    const made = new S3Client({
      endpoint,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      forcePathStyle: true,
    });
    made.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    clients.push(made);
    return made;
  };
  const admin = client();
  return {
    endpoint,
    commands,
    client,
    async createBucket() {
      buckets += 1;
      const name = `pipewright-test-${buckets}`;
      await admin.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async close() {
      for (const c of clients) c.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
