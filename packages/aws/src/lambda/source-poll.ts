/**
 * Polling an S3 source for the trigger function (`PollForSourceChanges`, CodePipeline's default
 * for S3 sources): a schedule invokes the function with `{ kind: 'poll', pipeline, sourceAction }`
 * every minute; HeadObject gives the object's current version id, which becomes the event of a
 * delivery (`polledSourceEvent`) whose id names the version, so each version starts the pipeline
 * once however many polls see it. A missing object, or an unversioned bucket, starts nothing.
 *
 * @example
 * ```ts
 * const event = await observeSource(s3, pipeline, 'Bundle', new Date());
 * ```
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type BusEvent, type Pipeline, polledSourceEvent, sourcePolls } from '@pipewright/core';
import { AwsAdapterError } from '../errors.ts';
import { isRetryableSdkError, sdkErrorName, sdkErrorSummary } from '../sdk-error.ts';

/**
 * The event the poll of `sourceAction` makes now, or `undefined` when it sees no version.
 *
 * @throws {AwsAdapterError} `PW6206` when S3 refuses (retryable when throttled or 5xx), PW6502 for an action that is not polled.
 * @example
 * ```ts
 * (await observeSource(s3, pipeline, 'Bundle', new Date()))?.id; // 'poll:web:Bundle:v-7'
 * ```
 */
export async function observeSource(
  s3: S3Client,
  pipeline: Pipeline,
  sourceAction: string,
  now: Date,
): Promise<BusEvent | undefined> {
  const poll = sourcePolls(pipeline).find((p) => p.actionName === sourceAction);
  if (poll === undefined) {
    throw new AwsAdapterError(
      'PW6502',
      `pipeline ${pipeline.name} has no polled S3 source action "${sourceAction}"; the schedule is stale — redeploy with sst deploy`,
    );
  }
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: poll.bucket, Key: poll.key }));
    const version = head.VersionId;
    if (version === undefined || version === 'null') return undefined;
    return polledSourceEvent(pipeline.name, poll, version, now.toISOString());
  } catch (error) {
    if (sdkErrorName(error) === 'NotFound' || sdkErrorName(error) === 'NoSuchKey') return undefined;
    throw new AwsAdapterError(
      'PW6206',
      `polling s3://${poll.bucket}/${poll.key} failed: ${sdkErrorSummary(error)}; the trigger function's role needs s3:GetObject on it`,
      { retryable: isRetryableSdkError(error), cause: error },
    );
  }
}
