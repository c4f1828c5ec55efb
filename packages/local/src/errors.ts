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

/**
 * `pipewright.local.yaml` is invalid, or a repository it sets up cannot be created. The message
 * reads `file:line:col path: what is wrong and what to do`. Terminal.
 */
export class LocalSettingsError extends PipewrightError {
  override readonly name = 'LocalSettingsError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW5201', message, false, options);
  }
}

/**
 * The local server cannot start: its port is taken, or its directory holds nothing to serve.
 * The message says what to change. Terminal.
 */
export class LocalServerError extends PipewrightError {
  override readonly name = 'LocalServerError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW5401', message, false, options);
  }
}
