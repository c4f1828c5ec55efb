/**
 * The artifact store port on S3: an artifact is ONE zip object, CodePipeline's and CodeBuild's
 * artifact format, at `<prefix>sha256/<hex>.zip` where `hex` is the sha256 of the zip's bytes.
 * The zip is written deterministically (see `artifact-zip.ts`), so the same files give the same
 * key and storing them twice uploads them once. Every upload asks for SSE-KMS.
 *
 * Files, zips and downloads are held in memory (fine for a Lambda's artifacts; multi-gigabyte
 * artifacts need a streaming store).
 *
 * @example
 * ```ts
 * const store = new S3ArtifactStore({ client: new S3Client({}), bucket: 'pipewright-artifacts', kmsKeyId: keyArn });
 * const out = await store.putDirectory(workspace, { name: 'BuildOutput', files: ['dist/**'] });
 * await store.extractTo(out, nextWorkspace);
 * ```
 */
import { createHash } from 'node:crypto';
import { chmod, readFile, symlink, writeFile } from 'node:fs/promises';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type ArtifactStore,
  extractionTargets,
  forEachLimited,
  type PutDirectoryOptions,
  type StoredArtifact,
  selectArtifactFiles,
  withoutUnsafeLinks,
} from '@pipewright/engine';
import { type ArtifactZipEntry, readArtifactZip, zipArtifact } from './artifact-zip.ts';
import { AwsAdapterError } from './errors.ts';
import { s3RequestError } from './s3-request-error.ts';
import { sdkErrorName, sdkHttpStatus } from './sdk-error.ts';

/** Options of {@link S3ArtifactStore}. @example `{ client: new S3Client({}), bucket: 'pipewright-artifacts', kmsKeyId: 'alias/pipewright' }` */
export interface S3ArtifactStoreOptions {
  client: S3Client;
  /** The artifact bucket. */
  bucket: string;
  /** Key prefix of stored artifacts (default `artifacts/`; a missing trailing `/` is added). */
  prefix?: string;
  /** KMS key (id, ARN or alias) for SSE-KMS; without it S3 uses the bucket's default KMS key (`aws/s3`). */
  kmsKeyId?: string;
}

/** Files read from disk at once while zipping. */
const READ_CONCURRENCY = 16;

/**
 * {@link ArtifactStore} on S3, one zip per artifact, content-addressed. Also reads zips others
 * wrote ({@link S3ArtifactStore.adopt}, e.g. a CodeBuild output artifact) and extracts any
 * artifact by its `s3://` uri, whatever bucket it names. Extraction checks the object still
 * matches the artifact's sha256 and rejects entries that would land outside the target
 * directory (zip-slip) or write through a symlink.
 *
 * @example
 * ```ts
 * const store = new S3ArtifactStore({ client, bucket: 'pipewright-artifacts' });
 * const a = await store.putDirectory('build', { name: 'Site', baseDirectory: 'public' });
 * a.uri; // 's3://pipewright-artifacts/artifacts/sha256/….zip'
 * ```
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #kmsKeyId: string | undefined;

  constructor(options: S3ArtifactStoreOptions) {
    if (options.bucket === '' || options.bucket.includes('/')) {
      throw new AwsAdapterError(
        'PW6201',
        `bucket ${JSON.stringify(options.bucket)} is not a bucket name; pass the artifact bucket's name (no s3://, no /)`,
      );
    }
    this.#client = options.client;
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix ?? 'artifacts/');
    this.#kmsKeyId = options.kmsKeyId;
  }

  /**
   * Zips the selected files (same selection as the local store) and uploads the zip unless an
   * object with its hash already exists. `size` is the total of the files' sizes, `files` the
   * number of files and symlinks; symlinks that could lead outside the artifact are left out.
   */
  async putDirectory(dir: string, options: PutDirectoryOptions): Promise<StoredArtifact> {
    const selected = await selectArtifactFiles(dir, options, (m) => new AwsAdapterError('PW6202', m));
    const entries: ArtifactZipEntry[] = new Array(selected.length);
    await forEachLimited(selected, READ_CONCURRENCY, async (item, i) => {
      entries[i] =
        item.kind === 'symlink'
          ? { path: item.path, type: 'symlink', target: item.target }
          : {
              path: item.path,
              type: 'file',
              executable: item.executable,
              data: await readFile(item.absolute),
            };
    });
    const kept = withoutUnsafeLinks(entries);
    const zip = zipArtifact(kept);
    const sha256 = sha256Hex(zip);
    const key = this.keyOf(sha256);
    if (!(await this.#exists(key))) await this.#upload(key, zip, sha256);
    return { name: options.name, uri: `s3://${this.bucket}/${key}`, sha256, ...countEntries(kept) };
  }

  /**
   * Downloads the artifact's zip (from the bucket its uri names), checks it still has the
   * artifact's sha256, and writes its files into `dir` (created if missing) with their modes
   * (`0755` when executable, else `0644`) and symlinks.
   */
  async extractTo(artifact: StoredArtifact, dir: string): Promise<void> {
    const { bucket, key } = S3ArtifactStore.parseUri(artifact.uri);
    const bytes = await this.#download(bucket, key, artifact.name);
    const actual = sha256Hex(bytes);
    if (actual !== artifact.sha256) {
      throw new AwsAdapterError(
        'PW6204',
        `artifact ${artifact.name} at ${artifact.uri} has sha256 ${actual}, not ${artifact.sha256}: the object was replaced after it was stored; run the action that produced it again`,
      );
    }
    await writeEntries(readArtifactZip(bytes, artifact.uri), dir);
  }

  /**
   * Describes a zip another party wrote (a CodeBuild output artifact at `s3://bucket/key`) as a
   * stored artifact: downloads it, checks it is a safe zip, and computes its sha256 (of the zip
   * bytes), `size` (total uncompressed size of its files) and `files` (files and symlinks).
   *
   * @example
   * ```ts
   * const built = await store.adopt('BuildOutput', `s3://${bucket}/${build.artifacts.location}`);
   * ```
   */
  async adopt(name: string, uri: string): Promise<StoredArtifact> {
    const { bucket, key } = S3ArtifactStore.parseUri(uri);
    const bytes = await this.#download(bucket, key, name);
    const entries = readArtifactZip(bytes, uri);
    return { name, uri: `s3://${bucket}/${key}`, sha256: sha256Hex(bytes), ...countEntries(entries) };
  }

  /**
   * The key an artifact with this zip hash has in this store.
   *
   * @example
   * ```ts
   * store.keyOf('ab…'); // 'artifacts/sha256/ab….zip'
   * ```
   */
  keyOf(sha256: string): string {
    return `${this.prefix}sha256/${sha256}.zip`;
  }

  /**
   * Splits an `s3://bucket/key` uri; throws `AwsAdapterError` `PW6201` for anything else.
   *
   * @example
   * ```ts
   * S3ArtifactStore.parseUri('s3://artifacts/a/b.zip'); // { bucket: 'artifacts', key: 'a/b.zip' }
   * ```
   */
  static parseUri(uri: string): { bucket: string; key: string } {
    const match = /^s3:\/\/([^/]+)\/(.+)$/s.exec(uri);
    const bucket = match?.[1];
    const key = match?.[2];
    if (bucket === undefined || key === undefined) {
      throw new AwsAdapterError(
        'PW6201',
        `${JSON.stringify(uri)} is not an S3 artifact uri (s3://<bucket>/<key>); was the artifact stored by another artifact store?`,
      );
    }
    return { bucket, key };
  }

  async #exists(key: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      // HeadObject answers without a body: a missing bucket is a 404 too, and PutObject names it.
      if (sdkErrorName(error) === 'NotFound' || sdkHttpStatus(error) === 404) return false;
      throw s3RequestError(error, 'HeadObject', this.bucket, key);
    }
  }

  async #upload(key: string, zip: Uint8Array, sha256: string): Promise<void> {
    const input: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: key,
      Body: zip,
      ContentType: 'application/zip',
      ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      ServerSideEncryption: 'aws:kms',
      ...(this.#kmsKeyId === undefined ? {} : { SSEKMSKeyId: this.#kmsKeyId }),
    };
    try {
      await this.#client.send(new PutObjectCommand(input));
    } catch (error) {
      throw s3RequestError(error, 'PutObject', this.bucket, key);
    }
  }

  async #download(bucket: string, key: string, name: string): Promise<Uint8Array> {
    try {
      const object = await this.#client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (object.Body === undefined) return new Uint8Array(0);
      return await object.Body.transformToByteArray();
    } catch (error) {
      if (sdkErrorName(error) === 'NoSuchKey') {
        throw new AwsAdapterError(
          'PW6203',
          `artifact ${name} is not in S3 at s3://${bucket}/${key} (deleted, or expired by a lifecycle rule); run the action that produced it again`,
          { cause: error },
        );
      }
      throw s3RequestError(error, 'GetObject', bucket, key);
    }
  }
}

function normalizePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function countEntries(entries: readonly ArtifactZipEntry[]): { size: number; files: number } {
  let size = 0;
  let files = 0;
  for (const entry of entries) {
    if (entry.type === 'directory') continue;
    files += 1;
    if (entry.type === 'file') size += entry.data.length;
  }
  return { size, files };
}

/**
 * Writes checked zip entries below `dir`, never through a symlink that leads out of it.
 *
 * @example
 * ```ts
 * await writeEntries(readArtifactZip(bytes, uri), workspace);
 * ```
 */
export async function writeEntries(entries: readonly ArtifactZipEntry[], dir: string): Promise<void> {
  const targets = await extractionTargets(dir, (m) => new AwsAdapterError('PW6205', m));
  for (const entry of entries) {
    if (entry.type === 'directory') await targets.directory(entry.path);
  }
  const files = entries.filter((e) => e.type === 'file');
  await forEachLimited(files, READ_CONCURRENCY, async (entry) => {
    const target = await targets.entry(entry.path);
    const mode = entry.executable ? 0o755 : 0o644;
    await writeFile(target, entry.data, { mode });
    await chmod(target, mode);
  });
  for (const entry of entries) {
    if (entry.type === 'symlink') await symlink(entry.target, await targets.entry(entry.path));
  }
}
