/**
 * Errors of `@pipewright/core`. Each has a stable `code` (`[PW1xxx]`), a `retryable` flag and a
 * message that says what to do. Problems in a user's pipeline are not thrown one by one: they
 * are collected as `Diagnostic`s and thrown together as a {@link PipelineInvalidError} where a
 * caller needs an exception.
 *
 * @example
 * ```ts
 * try { loadPipeline(text, { file }) } catch (e) {
 *   if (e instanceof PipelineInvalidError) for (const d of e.diagnostics) console.error(formatDiagnostic(d));
 * }
 * ```
 */
import { type Diagnostic, formatDiagnostic } from './model/diagnostic.ts';
import type { Path } from './model/path.ts';

export interface PipewrightErrorOptions extends ErrorOptions {
  /** Path into the pipeline or document this error concerns. */
  path?: Path;
}

/** Base class of every Pipewright error. */
export class PipewrightError extends Error {
  override readonly name: string = 'PipewrightError';
  /** Stable code, e.g. `PW1001`. */
  readonly code: string;
  /** True when trying the same thing again may succeed (e.g. a lost optimistic-concurrency race). */
  readonly retryable: boolean;
  readonly path: Path | undefined;

  constructor(code: string, message: string, retryable: boolean, options?: PipewrightErrorOptions) {
    super(`[${code}] ${message}`, options);
    this.code = code;
    this.retryable = retryable;
    this.path = options?.path;
  }
}

/** A pipeline document has errors; every diagnostic is attached. Terminal. */
export class PipelineInvalidError extends PipewrightError {
  override readonly name = 'PipelineInvalidError';
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[], options?: PipewrightErrorOptions) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(
      'PW1001',
      `the pipeline is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}); fix these and try again:\n${errors.map(formatDiagnostic).join('\n')}`,
      false,
      options,
    );
    this.diagnostics = diagnostics;
  }
}

/** A `#{…}` variable reference cannot be resolved at run time. Terminal. */
export class VariableResolutionError extends PipewrightError {
  override readonly name = 'VariableResolutionError';
  readonly reference: string;
  constructor(reference: string, message: string, options?: PipewrightErrorOptions) {
    super('PW1002', message, false, options);
    this.reference = reference;
  }
}

/** The compiler was asked for something the model cannot express (a bug or an unvalidated model). Terminal. */
export class CompileError extends PipewrightError {
  override readonly name = 'CompileError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW1003', message, false, options);
  }
}

/** An event does not fit the stream it is folded into (e.g. an unknown event type). Terminal. */
export class EventFoldError extends PipewrightError {
  override readonly name = 'EventFoldError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW1004', message, false, options);
  }
}

/**
 * An append's `expectedVersion` no longer matches the stream: someone else appended first.
 * Retryable: read the stream again, decide again, append again.
 */
export class ConcurrencyConflictError extends PipewrightError {
  override readonly name = 'ConcurrencyConflictError';
  readonly stream: string;
  readonly expectedVersion: number;
  readonly actualVersion: number;
  constructor(
    stream: string,
    expectedVersion: number,
    actualVersion: number,
    options?: PipewrightErrorOptions,
  ) {
    super(
      'PW1005',
      `stream ${stream} is at version ${actualVersion}, not ${expectedVersion}: another writer appended first; read the stream again and retry`,
      true,
      options,
    );
    this.stream = stream;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** A schedule expression (`cron(…)`/`rate(…)`) or its time zone is invalid. Terminal. */
export class ScheduleExpressionError extends PipewrightError {
  override readonly name = 'ScheduleExpressionError';
  readonly expression: string;
  constructor(expression: string, message: string, options?: PipewrightErrorOptions) {
    super('PW1006', message, false, options);
    this.expression = expression;
  }
}

/** A task payload from the state machine is malformed (not produced by our compiler). Terminal. */
export class TaskPayloadError extends PipewrightError {
  override readonly name = 'TaskPayloadError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW1007', message, false, options);
  }
}

/**
 * An operator or approver asked for something the execution's state does not allow (an
 * approval already decided, an unknown execution, a stage that is not failed). Terminal.
 */
export class ExecutionStateError extends PipewrightError {
  override readonly name = 'ExecutionStateError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW1008', message, false, options);
  }
}

/**
 * A paging cursor that no page of this list handed out (not decodable, or not of this list).
 * The caller passes it unchanged or starts from the first page; an API answers 400. Terminal.
 *
 * @example
 * ```ts
 * throw new InvalidCursorError('invalid cursor "x": pass the nextCursor of the previous page unchanged');
 * ```
 */
export class InvalidCursorError extends PipewrightError {
  override readonly name = 'InvalidCursorError';
  constructor(message: string, options?: PipewrightErrorOptions) {
    super('PW1009', message, false, options);
  }
}
