/**
 * `Deploy/S3` in AWS: the input artifact goes to the bucket `BucketName`. `Extract: "true"`
 * puts one object per file under the `ObjectKey` prefix (content type by extension);
 * `Extract: "false"` puts the artifact as one zip at `ObjectKey`. `KMSEncryptionKeyARN`
 * encrypts every object with that key (`aws:kms`); `CannedACL` and `CacheControl` are passed
 * on. Putting the same files again writes the same objects: a duplicate delivery changes nothing.
 *
 * @example
 * ```ts
 * await awsS3DeployProvider({ s3 }).run(run); // configuration { BucketName: 'www.example.com', Extract: 'true' }
 * ```
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ObjectCannedACL,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ActionProvider, ActionRun } from '@pipewright/engine';
import { guardOutcome, succeeded, zipDirectory } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import { type ClientSource, clientOf } from './client-source.ts';

/** Content types for the common web file extensions. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  map: 'application/json',
  json: 'application/json',
  webmanifest: 'application/manifest+json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  xml: 'application/xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  wasm: 'application/wasm',
  woff: 'font/woff',
  woff2: 'font/woff2',
};

/**
 * The S3 deploy provider.
 *
 * @example
 * ```ts
 * awsS3DeployProvider({ s3 }).provider; // 'S3'
 * ```
 */
export function awsS3DeployProvider(options: { s3: ClientSource<S3Client> }): ActionProvider {
  return {
    categories: ['Deploy'],
    provider: 'S3',
    run: (run) => guardOutcome(async () => deploy(run, await clientOf(options.s3, run))),
  };
}

async function deploy(run: ActionRun, s3: S3Client) {
  const config = checkedConfiguration(run);
  const bucket = required(config, 'BucketName');
  const extract = /^true$/i.test(required(config, 'Extract'));
  const objectKey = config.ObjectKey?.replace(/^\/+/, '');
  if (objectKey?.split('/').some((s) => s === '..')) {
    configurationError(`ObjectKey ${JSON.stringify(config.ObjectKey)} may not contain ".." segments`);
  }
  if (!extract && !objectKey) {
    configurationError('ObjectKey is required when Extract is "false"; name the object to write');
  }
  const input = run.inputs[0];
  if (!input) return configurationError('Deploy/S3 needs one input artifact');
  const common: Omit<PutObjectCommandInput, 'Key' | 'Body'> = {
    Bucket: bucket,
    ...(config.KMSEncryptionKeyARN
      ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: config.KMSEncryptionKeyARN }
      : {}),
    ...(config.CannedACL ? { ACL: config.CannedACL as ObjectCannedACL } : {}),
    ...(config.CacheControl ? { CacheControl: config.CacheControl } : {}),
  };
  const objects: { key: string; body: () => Promise<Buffer> }[] = extract
    ? (await filesOf(input.dir)).map((rel) => ({
        key: objectKey ? `${objectKey.replace(/\/+$/, '')}/${rel}` : rel,
        body: () => readFile(join(input.dir, rel)),
      }))
    : [{ key: objectKey ?? '', body: () => zipDirectory(input.dir) }];
  for (const object of objects) {
    if (run.signal.aborted) throw new Error('the deploy was stopped before every object was written');
    try {
      await s3.send(
        new PutObjectCommand({
          ...common,
          Key: object.key,
          Body: await object.body(),
          ContentType: contentType(object.key),
        }),
        { abortSignal: run.signal },
      );
    } catch (error) {
      throw awsFailure(error, `writing s3://${bucket}/${object.key}`, `check that bucket ${bucket} exists`);
    }
  }
  const where = `s3://${bucket}/${objectKey ?? ''}`;
  run.log.write('system', `uploaded ${objects.length} object(s) to ${where}\n`);
  return succeeded([], {}, `Deployed ${objects.length} object(s) to ${where}`);
}

async function filesOf(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
}

function contentType(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
