/**
 * Reading AWS SDK v3 errors without depending on each client's exception classes: the error's
 * name (`NoSuchKey`, `ThrottlingException`…), its HTTP status, and whether the same call may
 * succeed later (throttling, a 5xx, a timeout).
 *
 * @example
 * ```ts
 * try { await s3.send(new GetObjectCommand(input)); } catch (e) {
 *   if (sdkErrorName(e) === 'NoSuchKey') return undefined;
 *   throw new AwsAdapterError('PW6206', `…: ${sdkErrorSummary(e)}`, { retryable: isRetryableSdkError(e), cause: e });
 * }
 * ```
 */

/** Names AWS services use for "slow down" or "try again" answers. */
const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'Throttled',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'InternalFailure',
  'InternalErrorException',
  'InternalServiceError',
  'InternalServerError',
  'ServiceUnavailable',
  'KMSThrottlingException',
  'TimeoutError',
]);

/**
 * The error's name (`error.name`, which the SDK sets to the service's error code), or `''`.
 *
 * @example
 * ```ts
 * sdkErrorName(new NoSuchKey({ message: 'gone', $metadata: {} })); // 'NoSuchKey'
 * ```
 */
export function sdkErrorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/**
 * The HTTP status the service answered with, when the error came from a response.
 *
 * @example
 * ```ts
 * sdkHttpStatus(headObjectError); // 404
 * ```
 */
export function sdkHttpStatus(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * True when the same request may succeed later: throttling, a server error (5xx, 429), a
 * timeout, or an error the SDK itself marks retryable.
 *
 * @example
 * ```ts
 * isRetryableSdkError(Object.assign(new Error('slow down'), { name: 'SlowDown' })); // true
 * ```
 */
export function isRetryableSdkError(error: unknown): boolean {
  if (RETRYABLE_NAMES.has(sdkErrorName(error))) return true;
  if ((error as { $retryable?: unknown } | null)?.$retryable) return true;
  const status = sdkHttpStatus(error);
  return status !== undefined && (status >= 500 || status === 429);
}

/**
 * `Name: message` of an SDK error (just the message when it repeats the name), for error messages.
 *
 * @example
 * ```ts
 * sdkErrorSummary(accessDenied); // 'AccessDenied: Access Denied'
 * ```
 */
export function sdkErrorSummary(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { name, message } = error;
  if (message === '' || message === name || message === 'UnknownError') return name;
  return name === 'Error' || message.startsWith(`${name}:`) ? message : `${name}: ${message}`;
}
