/**
 * S3 object locations as the AWS providers meet them: artifact uris (`s3://bucket/key`), the
 * `bucket/key` form CodeBuild's S3 sources take, and the S3 ARNs CodeBuild reports for the
 * artifacts it uploaded (`arn:aws:s3:::bucket/key`).
 *
 * @example
 * ```ts
 * s3Location('s3://pw-artifacts/a/b.zip'); // { bucket: 'pw-artifacts', key: 'a/b.zip' }
 * s3UriOfArn('arn:aws:s3:::pw-artifacts/a/b.zip'); // 's3://pw-artifacts/a/b.zip'
 * ```
 */
import { ProviderFailure } from '@pipewright/providers';

/**
 * A bucket and an object key.
 *
 * @example
 * ```ts
 * const at: S3Location = { bucket: 'pipewright-prod-artifacts', key: 'artifacts/sha256/ab.zip' };
 * ```
 */
export interface S3Location {
  bucket: string;
  key: string;
}

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;
const S3_ARN = /^arn:aws[a-z-]*:s3:::([^/]+)\/(.+)$/;

/**
 * The bucket and key of an `s3://` artifact uri; a `ConfigurationError` failure for any other uri.
 *
 * @example
 * ```ts
 * s3Location('s3://bucket/artifacts/x.zip').key; // 'artifacts/x.zip'
 * ```
 */
export function s3Location(uri: string, what = 'artifact'): S3Location {
  const match = S3_URI.exec(uri);
  if (!match?.[1] || !match[2]) {
    throw new ProviderFailure(
      'ConfigurationError',
      `${what} is stored at ${JSON.stringify(uri)}, not in S3; in AWS the action runner must use the S3 artifact store`,
    );
  }
  return { bucket: match[1], key: match[2] };
}

/**
 * The `s3://` uri of an S3 object ARN, or `undefined` when `arn` is not one.
 *
 * @example
 * ```ts
 * s3UriOfArn('arn:aws:s3:::b/k.zip'); // 's3://b/k.zip'
 * s3UriOfArn(''); // undefined
 * ```
 */
export function s3UriOfArn(arn: string | undefined): string | undefined {
  const match = arn === undefined ? null : S3_ARN.exec(arn);
  return match?.[1] && match[2] ? `s3://${match[1]}/${match[2]}` : undefined;
}
