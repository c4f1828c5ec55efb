/**
 * Errors of `@pipewright/aws`: codes `PW6xxx` (`PW60xx` DynamoDB, `PW61xx` Step Functions,
 * `PW62xx` S3 artifacts and logs, `PW63xx` SNS, EventBridge and secrets).
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
  /** DynamoDB refused or failed a request (missing table, access, validation; retryable when throttled or 5xx). */
  PW6006: 'dynamodb-request-failed',
  /** An execution id is not a valid Step Functions execution name. Terminal. */
  PW6101: 'invalid-execution-name',
  /** A state machine ARN is not `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. Terminal. */
  PW6102: 'invalid-state-machine-arn',
  /** An execution with this name exists with a different input. Terminal. */
  PW6103: 'execution-input-mismatch',
  /** Step Functions cannot redrive the execution. Terminal. */
  PW6104: 'execution-not-redrivable',
  /** A uri is not `s3://<bucket>/<key>`. Terminal. */
  PW6201: 'invalid-s3-uri',
  /** The files selected for an artifact cannot be stored (base directory outside or missing, discard-paths clash). Terminal. */
  PW6202: 'invalid-artifact-selection',
  /** An artifact's S3 object does not exist. Terminal. */
  PW6203: 'artifact-not-found',
  /** An artifact's S3 object is not a readable zip, or no longer matches its sha256. Terminal. */
  PW6204: 'artifact-corrupt',
  /** A zip entry would land outside the extraction directory (zip-slip) or write through a symlink. Terminal. */
  PW6205: 'unsafe-artifact-entry',
  /** S3 refused or failed a request (access, missing bucket; retryable when throttled or 5xx). */
  PW6206: 's3-request-failed',
  /** A log read offset is not a non-negative integer. Terminal. */
  PW6207: 'invalid-log-offset',
  /** No SNS topic is configured for a pipeline that has email notification targets. Terminal. */
  PW6301: 'notification-topic-missing',
  /** SNS refused or failed a Publish (retryable when throttled or 5xx). */
  PW6302: 'sns-publish-failed',
  /** An EventBridge `source` is empty, too long or starts with the reserved `aws.`. Terminal. */
  PW6303: 'invalid-event-source',
  /** EventBridge rejected entries of a PutEvents (retryable when only throttling/internal errors remain). */
  PW6304: 'eventbridge-entries-failed',
  /** One state-change event is larger than a PutEvents request may carry. Terminal. */
  PW6305: 'event-too-large',
  /** EventBridge refused or failed a whole PutEvents request (retryable when throttled or 5xx). */
  PW6306: 'eventbridge-request-failed',
  /** A secret reference has no known form (`ssm:…`, `secretsmanager:…`, `{{resolve:…}}`). Terminal. */
  PW6310: 'invalid-secret-reference',
  /** The SSM parameter or Secrets Manager secret (or version) a reference names does not exist. Terminal. */
  PW6311: 'secret-not-found',
  /** A reference names a JSON key the secret does not have (or the secret is not a JSON object). Terminal. */
  PW6312: 'secret-json-key-missing',
  /** SSM or Secrets Manager refused or failed a read (access, KMS; retryable when throttled or 5xx). */
  PW6313: 'secret-read-failed',
  /** A CodeBuild state-change event names a Pipewright action but its PIPEWRIGHT_* identity is missing or malformed. Terminal. */
  PW6401: 'invalid-codebuild-event',
  /** BatchGetBuilds does not (yet) return the build a final CodeBuild event names. Retryable. */
  PW6402: 'codebuild-build-not-found',
  /** The AWS action providers were given options they cannot work with (empty runner project or bucket). Terminal. */
  PW6403: 'invalid-provider-options',
  /** A function's environment lacks a variable infra sets, or has a malformed one. Terminal: redeploy. */
  PW6501: 'invalid-lambda-environment',
  /** A handler was invoked with an event it does not take (wrong target wiring). Terminal. */
  PW6502: 'invalid-lambda-event',
  /** The pipeline files deployed with the functions do not load or validate. Terminal: fix and redeploy. */
  PW6503: 'invalid-deployed-pipeline',
  /** A function was asked for something another function does (artifacts in the stage gate). Terminal. */
  PW6504: 'not-in-this-function',
  /** An action's outcome could not be recorded or its task answered; the task is failed. Retryable. */
  PW6505: 'action-outcome-lost',
  /** The users file deployed with the functions is not what infra writes. Terminal: fix and redeploy. */
  PW6520: 'invalid-deployed-users',
  /** The failed-deliveries queue of the stage is not there (wrong stage, region or account). Terminal. */
  PW6601: 'failed-deliveries-queue-missing',
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
