/**
 * `Deploy/S3` run locally. `Extract: "true"` copies the input artifact's files under
 * `ObjectKey` (optional prefix); `Extract: "false"` writes the artifact as one zip object at
 * `ObjectKey`. The target is:
 *
 * - by default, the directory `BucketName` (relative to the pipeline's directory);
 * - when the providers' `s3` option names an S3-compatible endpoint (s3rver, MinIO, …), that
 *   endpoint's bucket `BucketName`, one PutObject per file (`CacheControl`, `CannedACL` passed
 *   on). There is no default endpoint: without one nothing is sent anywhere.
 *
 * @example
 * ```ts
 * await s3DeployProvider({}).run(run); // configuration { BucketName: 'public/site', Extract: 'true' }
 * ```
 */
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type ObjectCannedACL, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ActionProvider, ActionRun } from '@pipewright/engine';
import type { LocalProvidersOptions, S3EndpointOptions } from './options.ts';
import { configurationError, guardOutcome, requireConfig, succeeded } from './outcome.ts';
import { zipDirectory } from './s3/zip-directory.ts';

/** Content types for the common web file extensions. */
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  xml: 'application/xml',
  zip: 'application/zip',
  wasm: 'application/wasm',
};

/**
 * The S3 deploy provider.
 *
 * @example
 * ```ts
 * s3DeployProvider({ s3: { endpoint: 'http://127.0.0.1:4568' } }).provider; // 'S3'
 * ```
 */
export function s3DeployProvider(options: LocalProvidersOptions): ActionProvider {
  return {
    categories: ['Deploy'],
    provider: 'S3',
    run: (run) => guardOutcome(() => deploy(run, options)),
  };
}

async function deploy(run: ActionRun, options: LocalProvidersOptions) {
  const config = run.action.configuration;
  const bucket = requireConfig(config, 'BucketName', 'Deploy/S3');
  const extract = /^true$/i.test(requireConfig(config, 'Extract', 'Deploy/S3'));
  const objectKey = config.ObjectKey?.replace(/^\/+/, '');
  if (objectKey?.split('/').some((s) => s === '..')) {
    configurationError(`ObjectKey ${JSON.stringify(config.ObjectKey)} may not contain ".." segments`);
  }
  if (!extract && !objectKey)
    configurationError('ObjectKey is required when Extract is "false"; name the object to write');
  const input = run.inputs[0];
  if (!input) configurationError('Deploy/S3 needs one input artifact');
  const files = (await readdir(input.dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(input.dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
  const objects: { key: string; body: () => Promise<Buffer>; source?: string }[] = extract
    ? files.map((rel) => ({
        key: objectKey ? `${objectKey.replace(/\/+$/, '')}/${rel}` : rel,
        body: () => readFile(join(input.dir, rel)),
        source: join(input.dir, rel),
      }))
    : [{ key: objectKey ?? '', body: () => zipDirectory(input.dir) }];

  if (options.s3 !== undefined) {
    const client = s3Client(options.s3);
    try {
      for (const object of objects) {
        if (run.signal.aborted) configurationError('the deploy was stopped');
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: object.key,
            Body: await object.body(),
            ContentType: contentType(object.key),
            ...(config.CacheControl ? { CacheControl: config.CacheControl } : {}),
            ...(config.CannedACL ? { ACL: config.CannedACL as ObjectCannedACL } : {}),
          }),
          { abortSignal: run.signal },
        );
      }
    } finally {
      client.destroy();
    }
    const where = `s3://${bucket}/${objectKey ?? ''}`;
    run.log.write('system', `uploaded ${objects.length} object(s) to ${where} at ${options.s3.endpoint}\n`);
    return succeeded([], {}, `Deployed ${objects.length} object(s) to ${where}`);
  }

  const root = resolve(run.projectDir, bucket);
  for (const object of objects) {
    const target = join(root, ...object.key.split('/'));
    await mkdir(dirname(target), { recursive: true });
    if (object.source) {
      await copyFile(object.source, target);
      await chmod(target, (await stat(object.source)).mode & 0o777);
    } else {
      await writeFile(target, await object.body());
    }
  }
  run.log.write('system', `copied ${objects.length} file(s) to ${root}\n`);
  return succeeded([], {}, `Deployed ${objects.length} file(s) to ${root}`);
}

function s3Client(s3: S3EndpointOptions): S3Client {
  if (typeof s3.endpoint !== 'string' || !/^https?:\/\//.test(s3.endpoint)) {
    configurationError(
      'the s3 option needs an explicit endpoint URL (e.g. http://127.0.0.1:4568); Pipewright never guesses one',
    );
  }
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region ?? 'us-east-1',
    forcePathStyle: s3.forcePathStyle ?? true,
    credentials: s3.credentials ?? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
}

function contentType(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
