/**
 * Errors of the local artifact store: codes `PW51xx`.
 *
 * @example
 * ```ts
 * throw new ArtifactStoreError('manifest entry "../x" leaves the artifact; the store is corrupt or was tampered with');
 * ```
 */
import { PipewrightError, type PipewrightErrorOptions } from '@pipewright/core';

/** An artifact cannot be stored or extracted (bad selection, corrupt or tampered store, unsafe path). Terminal. */
export class ArtifactStoreError extends PipewrightError {
  override readonly name = 'ArtifactStoreError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW5101', message, false, options);
  }
}
