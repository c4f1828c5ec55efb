/**
 * Errors of `@pipewright/engine`: codes `PW3xxx`.
 *
 * @example
 * ```ts
 * throw new UnknownPipelineError('web-app');
 * ```
 */
import { PipewrightError, type PipewrightErrorOptions } from '@pipewright/core';

/** The engine was asked about a pipeline it does not know. Terminal. */
export class UnknownPipelineError extends PipewrightError {
  override readonly name = 'UnknownPipelineError';
  constructor(pipeline: string, options?: PipewrightErrorOptions) {
    super(
      'PW3001',
      `unknown pipeline ${pipeline}; load its definition first (check the name in the state machine input)`,
      false,
      options,
    );
  }
}

/** An execution id that the event log does not hold. Terminal. */
export class UnknownExecutionError extends PipewrightError {
  override readonly name = 'UnknownExecutionError';
  constructor(executionId: string, options?: PipewrightErrorOptions) {
    super(
      'PW3002',
      `no execution ${executionId} in the event log; list executions with "pipewright executions <pipeline>"`,
      false,
      options,
    );
  }
}

/** A misuse of an in-memory test adapter (`@pipewright/engine/testing`). Terminal. */
export class EngineTestingError extends PipewrightError {
  override readonly name = 'EngineTestingError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW3003', message, false, options);
  }
}
