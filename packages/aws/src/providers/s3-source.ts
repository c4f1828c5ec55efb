/**
 * `Source/S3`: the latest version of `s3://S3Bucket/S3ObjectKey` in a versioned bucket (or the
 * version the trigger saw: `S3ObjectVersionId`, set by the engine from the source revision), as
 * CodePipeline's S3 source reads it. GetObject gives the bytes, the `VersionId` and the `ETag`
 * (the output variables). A zip (what CodePipeline expects) becomes the artifact's files,
 * extracted with the same checks as artifacts (no entry outside the artifact, no write through
 * a symlink); any other object is the artifact's one file, under its own name. An object
 * without a version id means the bucket is not versioned: a configuration error, as in
 * CodePipeline. New versions start the pipeline through an EventBridge rule on the bucket's
 * "Object Created" events (`PollForSourceChanges: false`; the bucket must send its events to
 * EventBridge). The artifact is written through the run's artifact store, so the provider
 * works in Lambda and, with the AWS opt-in, from the local runtime.
 *
 * @example
 * ```ts
 * await awsS3SourceProvider({ s3 }).run(run); // configuration { S3Bucket: 'releases', S3ObjectKey: 'app.zip' }
 * ```
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ActionProvider } from '@pipewright/engine';
import { guardOutcome, ProviderFailure } from '@pipewright/providers';
import { readArtifactZip } from '../artifact-zip.ts';
import { AwsAdapterError } from '../errors.ts';
import { writeEntries } from '../s3-artifact-store.ts';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import { type ClientSource, clientOf } from './client-source.ts';
import { type RetryOptions, retrying } from './retrying-send.ts';

/**
 * What the S3 source needs.
 *
 * @example
 * ```ts
 * const options: S3SourceOptions = { s3: new S3Client({}) };
 * ```
 */
export interface S3SourceOptions {
  s3: ClientSource<S3Client>;
  retry?: RetryOptions;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * The S3 source provider.
 *
 * @example
 * ```ts
 * awsS3SourceProvider({ s3 }).provider; // 'S3'
 * ```
 */
export function awsS3SourceProvider(options: S3SourceOptions): ActionProvider {
  return {
    categories: ['Source'],
    provider: 'S3',
    run: (run) =>
      guardOutcome(async () => {
        const config = checkedConfiguration(run);
        const Bucket = required(config, 'S3Bucket');
        const Key = required(config, 'S3ObjectKey');
        const output = run.action.outputArtifacts[0];
        if (output === undefined) return configurationError('an S3 source needs one output artifact');
        const s3 = await clientOf(options.s3, run);
        const where = `s3://${Bucket}/${Key}`;
        const object = await retrying(
          async () => {
            const version =
              config.S3ObjectVersionId === undefined ? {} : { VersionId: config.S3ObjectVersionId };
            const got = await s3.send(new GetObjectCommand({ Bucket, Key, ...version }), {
              abortSignal: run.signal,
            });
            return { ...got, bytes: await got.Body?.transformToByteArray() };
          },
          { ...options.retry, signal: run.signal },
        ).catch((error: unknown) => {
          if (error instanceof Error && error.name === 'NoSuchKey') {
            throw new ProviderFailure(
              'RevisionUnavailable',
              `${where} does not exist; upload it, or fix S3ObjectKey`,
            );
          }
          throw awsFailure(error, `reading ${where}`, 'check S3Bucket and S3ObjectKey');
        });
        const versionId = object.VersionId;
        if (versionId === undefined || versionId === 'null') {
          return configurationError(
            `${where} has no version id: bucket ${Bucket} is not versioned; enable versioning on it (CodePipeline's S3 source needs a versioned bucket)`,
          );
        }
        const bytes = object.bytes ?? new Uint8Array();
        await place(bytes, run.workspace, Key, where);
        const artifact = await run.artifacts.putDirectory(run.workspace, { name: output.name });
        const etag = (object.ETag ?? '').replace(/^"|"$/g, '');
        run.log.write('system', `${where} version ${versionId} (${bytes.length} bytes)\n`);
        return {
          status: 'Succeeded',
          outputArtifacts: [artifact],
          outputVariables: { ETag: etag, VersionId: versionId },
          summary: `${where} version ${versionId}`,
        };
      }),
  };
}

/** A zip's files into `dir`, or the object itself under its name. */
async function place(bytes: Uint8Array, dir: string, key: string, where: string): Promise<void> {
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      await writeEntries(readArtifactZip(bytes, where), dir);
      return;
    } catch (error) {
      if (error instanceof AwsAdapterError) throw new ProviderFailure('ConfigurationError', error.message);
      throw error;
    }
  }
  const name = key.split('/').filter(Boolean).pop() ?? 'object';
  await writeFile(join(dir, name), bytes);
}
