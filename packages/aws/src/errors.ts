/**
 * Errors of `@pipewright/aws`: codes `PW6xxx` (`PW60xx` DynamoDB, `PW61xx` Step Functions).
 * Conflicts of the event log are core's `ConcurrencyConflictError`, not these.
 *
 * @example
 * ```ts
 * try { await store.append(stream, events, { expectedVersion }) } catch (e) {
 *   if (e instanceof AwsAdapterError && e.code === 'PW6001') splitAndRetry();
 * }
 * ```
 */
import { PipewrightError, type PipewrightErrorOptions } from '@pipewright/core';

/**
 * Every code `AwsAdapterError` carries, with what it means.
 *
 * @example
 * ```ts
 * AWS_ERROR_CODES.PW6001; // 'batch-too-large'
 * ```
 */
export const AWS_ERROR_CODES = {
  /** An append needs more actions than one DynamoDB transaction allows. Terminal. */
  PW6001: 'batch-too-large',
  /** An event item (or a batch of them) exceeds DynamoDB's item or transaction size. Terminal. */
  PW6002: 'item-too-large',
  /** A stream name clashes with the table's reserved key prefixes. Terminal. */
  PW6003: 'invalid-stream-name',
  /** A `listExecutions` cursor was not produced by this store. Terminal. */
  PW6004: 'invalid-cursor',
  /** DynamoDB cancelled a write for a reason other than a lost race (throttling, validation). */
  PW6005: 'dynamodb-write-cancelled',
  /** An execution id is not a valid Step Functions execution name. Terminal. */
  PW6101: 'invalid-execution-name',
  /** A state machine ARN is not `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. Terminal. */
  PW6102: 'invalid-state-machine-arn',
  /** An execution with this name exists with a different input. Terminal. */
  PW6103: 'execution-input-mismatch',
  /** Step Functions cannot redrive the execution. Terminal. */
  PW6104: 'execution-not-redrivable',
} as const;

/** A code of {@link AWS_ERROR_CODES}. */
export type AwsErrorCode = keyof typeof AWS_ERROR_CODES;

/** Options of {@link AwsAdapterError}. */
export interface AwsAdapterErrorOptions extends PipewrightErrorOptions {
  /** True when the same call may succeed later (throttling). Default false. */
  retryable?: boolean;
}

/**
 * An AWS adapter cannot do what was asked; the message says what is wrong and what to do.
 *
 * @example
 * ```ts
 * throw new AwsAdapterError('PW6004', 'invalid cursor "x": pass the nextCursor of the previous page unchanged');
 * ```
 */
export class AwsAdapterError extends PipewrightError {
  override readonly name = 'AwsAdapterError';
  override readonly code: AwsErrorCode;
  constructor(code: AwsErrorCode, message: string, options: AwsAdapterErrorOptions = {}) {
    const { retryable = false, ...rest } = options;
    super(code, message, retryable, rest);
    this.code = code;
  }
}
