import { NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { isRetryableSdkError, sdkErrorName, sdkErrorSummary, sdkHttpStatus } from './sdk-error.ts';

const s3Error = (name: string, status: number, message = '') =>
  new S3ServiceException({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

describe('sdk errors', () => {
  it('reads the name and status of a service error', () => {
    const error = new NoSuchKey({
      message: 'The specified key does not exist.',
      $metadata: { httpStatusCode: 404 },
    });
    expect(sdkErrorName(error)).toBe('NoSuchKey');
    expect(sdkHttpStatus(error)).toBe(404);
    expect(sdkErrorSummary(error)).toBe('NoSuchKey: The specified key does not exist.');
    expect(sdkErrorName('not an error')).toBe('');
    expect(sdkHttpStatus(new Error('plain'))).toBeUndefined();
  });

  it('tells throttling and server errors from the rest', () => {
    expect(isRetryableSdkError(s3Error('SlowDown', 503))).toBe(true);
    expect(isRetryableSdkError(s3Error('Weird', 500))).toBe(true);
    expect(isRetryableSdkError(s3Error('TooMany', 429))).toBe(true);
    expect(isRetryableSdkError(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe(true);
    expect(isRetryableSdkError(s3Error('AccessDenied', 403))).toBe(false);
    expect(isRetryableSdkError(new Error('plain'))).toBe(false);
  });

  it('summarizes without repeating the name', () => {
    expect(sdkErrorSummary(s3Error('NotFound', 404, 'UnknownError'))).toBe('NotFound');
    expect(sdkErrorSummary(new Error('boom'))).toBe('boom');
    expect(sdkErrorSummary('text')).toBe('text');
  });
});
