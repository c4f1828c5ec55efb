/**
 * Errors of local notifications: code `PW5301`.
 *
 * @example
 * ```ts
 * throw new NotificationDeliveryError('could not email execution.failed of web-app through smtp.example.com:587: …');
 * ```
 */
import { PipewrightError, type PipewrightErrorOptions } from '@pipewright/core';

/** A notification could not be delivered (SMTP refused or unreachable, webhook failed). Retryable. */
export class NotificationDeliveryError extends PipewrightError {
  override readonly name = 'NotificationDeliveryError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW5301', message, true, options);
  }
}
