/**
 * Turns a failed S3 call into an `AwsAdapterError` `PW6206` that names the object and says what
 * to do (create the bucket, grant the permission, try again later). Missing keys are the
 * caller's business: they mean different things to different callers.
 *
 * @example
 * ```ts
 * try { await client.send(new PutObjectCommand(input)); } catch (e) {
 *   throw s3RequestError(e, 'PutObject', bucket, key);
 * }
 * ```
 */
import { AwsAdapterError } from './errors.ts';
import { isRetryableSdkError, sdkErrorName, sdkErrorSummary, sdkHttpStatus } from './sdk-error.ts';

/**
 * The `PW6206` error for a failed S3 call on `s3://bucket/key` (`retryable` when throttled or 5xx).
 *
 * @example
 * ```ts
 * s3RequestError(accessDenied, 'GetObject', 'artifacts', 'sha256/ab.zip').message;
 * // '[PW6206] GetObject s3://artifacts/sha256/ab.zip was denied (AccessDenied: …); grant …'
 * ```
 */
export function s3RequestError(
  error: unknown,
  operation: string,
  bucket: string,
  key: string,
): AwsAdapterError {
  const where = `${operation} s3://${bucket}/${key}`;
  const name = sdkErrorName(error);
  const summary = sdkErrorSummary(error);
  const retryable = isRetryableSdkError(error);
  let message: string;
  if (name === 'NoSuchBucket') {
    message = `${where} failed: bucket ${bucket} does not exist; create it or fix the bucket the store is configured with`;
  } else if (name === 'AccessDenied' || name.startsWith('KMS.') || sdkHttpStatus(error) === 403) {
    message = `${where} was denied (${summary}); grant s3:GetObject, s3:PutObject and s3:ListBucket on bucket ${bucket}, and kms:Decrypt and kms:GenerateDataKey on its KMS key`;
  } else if (retryable) {
    message = `${where} failed (${summary}); S3 is throttling or unavailable — try again later`;
  } else {
    message = `${where} failed (${summary}); check the bucket, the key and the caller's permissions`;
  }
  return new AwsAdapterError('PW6206', message, { retryable, cause: error });
}
