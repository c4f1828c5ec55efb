/**
 * How an AWS SDK error becomes an action's failure: denied access is a `PermissionError`,
 * throttling and 5xx are `SystemUnavailable`, a missing resource or a rejected input is a
 * `ConfigurationError`, anything else `JobFailed` — each with the service's own message and
 * what was being done.
 *
 * @example
 * ```ts
 * try { await lambda.send(new InvokeCommand(input)) } catch (e) { throw awsFailure(e, 'invoking my-fn') }
 * ```
 */
import type { ActionFailureType } from '@pipewright/engine';
import { ProviderFailure } from '@pipewright/providers';

const PERMISSION =
  /AccessDenied|Unauthorized|Forbidden|InvalidAccessKeyId|SignatureDoesNotMatch|KMS\.?AccessDenied/i;
const UNAVAILABLE =
  /Throttl|TooManyRequests|ServiceUnavailable|InternalError|InternalFailure|SlowDown|LimitExceeded|RequestLimitExceeded/i;
const CONFIGURATION =
  /NotFound|NoSuch|InvalidInput|InvalidParameter|Validation|InvalidRequest|InvalidArgument|InvalidBucketName/i;

/**
 * The failure an AWS SDK error stands for. A {@link ProviderFailure} passes through unchanged.
 *
 * @example
 * ```ts
 * awsFailure(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }), 'starting the build').type;
 * // 'PermissionError'
 * ```
 */
export function awsFailure(error: unknown, doing: string, hint?: string): ProviderFailure {
  if (error instanceof ProviderFailure) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  let type: ActionFailureType = 'JobFailed';
  if (PERMISSION.test(name) || status === 403) type = 'PermissionError';
  else if (UNAVAILABLE.test(name) || (status !== undefined && status >= 500)) type = 'SystemUnavailable';
  else if (CONFIGURATION.test(name) || status === 404) type = 'ConfigurationError';
  const detail = name && !message.includes(name) ? `${name}: ${message}` : message;
  return new ProviderFailure(
    type,
    `${doing} failed: ${detail}${hint && type === 'ConfigurationError' ? `; ${hint}` : ''}`,
  );
}
