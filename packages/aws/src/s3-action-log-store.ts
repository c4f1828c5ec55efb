/**
 * Action logs on S3: one object per action attempt at
 * `<prefix><executionId>/<stage>/<action>/<stageAttempt>-<attempt>.log` (parts URI-encoded).
 * A writer buffers the attempt's output in memory and uploads it once, on `close()` — S3 has no
 * append — so a log shows up when its attempt ends, and a second `open`/`close` of the same
 * attempt replaces it (the local store appends). The bucket's default encryption applies.
 *
 * @example
 * ```ts
 * const logs = new S3ActionLogStore({ client: new S3Client({}), bucket: 'pipewright-artifacts' });
 * const log = await logs.open(ref);
 * log.write('stdout', 'building\n');
 * await log.close();
 * await logs.read(ref); // 'building\n'
 * ```
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type ActionLogRef,
  type ActionLogStore,
  type ActionLogWriter,
  prefixSystemLines,
} from '@pipewright/engine';
import { AwsAdapterError } from './errors.ts';
import { s3RequestError } from './s3-request-error.ts';
import { sdkErrorName, sdkHttpStatus } from './sdk-error.ts';

/** Options of {@link S3ActionLogStore}. @example `{ client: new S3Client({}), bucket: 'pipewright-artifacts', prefix: 'logs/' }` */
export interface S3ActionLogStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix of the logs (default `logs/`; a missing trailing `/` is added). */
  prefix?: string;
}

/** Largest slice {@link S3ActionLogStore.readFrom} returns at once (the rest comes on the next call), as locally. */
const MAX_READ_BYTES = 1024 * 1024;
const encoder = new TextEncoder();

/**
 * {@link ActionLogStore} on S3. `system` lines are prefixed `[pipewright] `, as locally.
 *
 * @example
 * ```ts
 * const logs = new S3ActionLogStore({ client, bucket: 'pipewright-artifacts', prefix: 'logs/' });
 * logs.keyOf({ executionId: '7f0c', stageName: 'Build', actionName: 'Unit tests', stageAttempt: 0, attempt: 1 });
 * // 'logs/7f0c/Build/Unit%20tests/0-1.log'
 * ```
 */
export class S3ActionLogStore implements ActionLogStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly #client: S3Client;

  constructor(options: S3ActionLogStoreOptions) {
    this.#client = options.client;
    this.bucket = options.bucket;
    const prefix = options.prefix ?? 'logs/';
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  }

  /**
   * The object key of one attempt's log.
   *
   * @example
   * ```ts
   * logs.keyOf(ref); // 'logs/7f0c/Build/Compile/0-1.log'
   * ```
   */
  keyOf(ref: ActionLogRef): string {
    return `${this.prefix}${[ref.executionId, ref.stageName, ref.actionName].map(encodeURIComponent).join('/')}/${ref.stageAttempt}-${ref.attempt}.log`;
  }

  /** A writer that keeps the text in memory until `close()` uploads it (once; later writes are dropped). */
  async open(ref: ActionLogRef): Promise<ActionLogWriter> {
    const key = this.keyOf(ref);
    const chunks: string[] = [];
    let closing: Promise<void> | undefined;
    const upload = async (): Promise<void> => {
      try {
        await this.#client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: encoder.encode(chunks.join('')),
            ContentType: 'text/plain; charset=utf-8',
          }),
        );
      } catch (error) {
        closing = undefined; // let the caller try again
        throw s3RequestError(error, 'PutObject', this.bucket, key);
      }
    };
    return {
      write(stream, text) {
        if (closing !== undefined || text.length === 0) return;
        chunks.push(stream === 'system' ? prefixSystemLines(text) : text);
      },
      close() {
        closing ??= upload();
        return closing;
      },
    };
  }

  async read(ref: ActionLogRef): Promise<string | undefined> {
    const key = this.keyOf(ref);
    try {
      const object = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (sdkErrorName(error) === 'NoSuchKey') return undefined;
      throw s3RequestError(error, 'GetObject', this.bucket, key);
    }
  }

  /**
   * The log's bytes from `offset` (at most 1 MiB at once) by a ranged GET: empty when `offset`
   * is at or past the end, `undefined` when the attempt has no log (yet — it appears on close).
   *
   * @example
   * ```ts
   * const more = await logs.readFrom(ref, seen); // new bytes since `seen`
   * ```
   */
  async readFrom(ref: ActionLogRef, offset: number): Promise<Uint8Array | undefined> {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new AwsAdapterError(
        'PW6207',
        `log offset ${offset} is not a byte position; pass a non-negative integer (the bytes already read)`,
      );
    }
    const key = this.keyOf(ref);
    try {
      const object = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: `bytes=${offset}-${offset + MAX_READ_BYTES - 1}`,
        }),
      );
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array(0);
    } catch (error) {
      if (sdkErrorName(error) === 'NoSuchKey') return undefined;
      // 416: the range starts at or past the end (S3 answers this for an empty object too).
      if (sdkErrorName(error) === 'InvalidRange' || sdkHttpStatus(error) === 416) return new Uint8Array(0);
      throw s3RequestError(error, 'GetObject', this.bucket, key);
    }
  }
}
