/**
 * Errors of `@pipewright/local`: codes `PW5xxx`.
 *
 * @example
 * ```ts
 * throw new LocalStoreError('cannot open the event log at .pipewright/events.db: …');
 * ```
 */
import { PipewrightError, type PipewrightErrorOptions } from '@pipewright/core';

/** The local store (SQLite file, artifact directory) cannot be used. Terminal. */
export class LocalStoreError extends PipewrightError {
  override readonly name = 'LocalStoreError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW5001', message, false, options);
  }
}
