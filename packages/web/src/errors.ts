/**
 * Errors of the HTTP app: a {@link WebError} carries a stable code, and the code fixes the HTTP
 * status. Every error a route throws becomes `{ error: { code, message } }` (API) or a page
 * (approval pages) through {@link toWebError} — never a stack trace.
 *
 * @example
 * ```ts
 * throw new WebError('NotFound', 'no pipeline named "web-app" is served here');
 * ```
 */
import {
  ConcurrencyConflictError,
  ExecutionStateError,
  InvalidCursorError,
  PipewrightError,
  VariableResolutionError,
} from '@pipewright/core';
import { UnknownExecutionError, UnknownPipelineError } from '@pipewright/engine';
import { HTTPException } from 'hono/http-exception';

/** Error codes of the API and the HTTP status each one answers with. @example `WEB_ERROR_STATUS.Conflict; // 409` */
export const WEB_ERROR_STATUS = {
  BadRequest: 400,
  ValidationError: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  InternalError: 500,
  NotImplemented: 501,
} as const;

/** One of the keys of {@link WEB_ERROR_STATUS}. @example `'NotFound'` */
export type WebErrorCode = keyof typeof WEB_ERROR_STATUS;

/** An HTTP status the app answers errors with. @example `409` */
export type WebErrorStatus = (typeof WEB_ERROR_STATUS)[WebErrorCode];

/**
 * An error with an API code; its message says what is wrong and what to do.
 *
 * @example
 * ```ts
 * new WebError('ValidationError', 'body.status: expected "Approved" or "Rejected"').status; // 400
 * ```
 */
export class WebError extends Error {
  override readonly name = 'WebError';
  readonly code: WebErrorCode;
  constructor(code: WebErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  /** The HTTP status of the code. */
  get status(): WebErrorStatus {
    return WEB_ERROR_STATUS[this.code];
  }
}

/** The message without its `[PW1234] ` prefix (the API answers with its own codes). */
function withoutCode(message: string): string {
  return message.replace(/^\[PW\d+\] /, '');
}

function codeOfStatus(status: number): WebErrorCode {
  const found = Object.entries(WEB_ERROR_STATUS).find(([, s]) => s === status);
  return (found?.[0] as WebErrorCode | undefined) ?? (status < 500 ? 'BadRequest' : 'InternalError');
}

/**
 * Maps anything thrown to a {@link WebError}: unknown executions and pipelines are 404, a
 * decision the execution's state refuses (an approval decided already or expired, a stop of
 * an ended execution) 409, a bad variable 400. Anything else is a 500 that tells the caller
 * nothing internal; `unexpected` hears about it.
 *
 * @example
 * ```ts
 * toWebError(new UnknownExecutionError('7f0c')).status; // 404
 * ```
 */
export function toWebError(error: unknown, unexpected?: (error: unknown) => void): WebError {
  if (error instanceof WebError) return error;
  if (error instanceof UnknownExecutionError || error instanceof UnknownPipelineError) {
    return new WebError('NotFound', withoutCode(error.message), { cause: error });
  }
  if (error instanceof ExecutionStateError || error instanceof ConcurrencyConflictError) {
    return new WebError('Conflict', withoutCode(error.message), { cause: error });
  }
  if (error instanceof InvalidCursorError) {
    return new WebError(
      'ValidationError',
      'query.cursor: not a cursor of this list; pass the nextCursor of the previous page, or none for the first',
      { cause: error },
    );
  }
  if (error instanceof VariableResolutionError) {
    return new WebError('ValidationError', withoutCode(error.message), { cause: error });
  }
  if (error instanceof HTTPException && error.status < 500) {
    return new WebError(codeOfStatus(error.status), error.message || 'the request was refused', {
      cause: error,
    });
  }
  unexpected?.(error);
  if (error instanceof PipewrightError) {
    return new WebError('InternalError', withoutCode(error.message), { cause: error });
  }
  return new WebError('InternalError', 'the server failed to answer this request; its log has the details', {
    cause: error,
  });
}

/**
 * The JSON body of an error response.
 *
 * @example
 * ```ts
 * errorBody(new WebError('Unauthorized', 'send a token')); // { error: { code: 'Unauthorized', message: 'send a token' } }
 * ```
 */
export function errorBody(error: WebError): { error: { code: WebErrorCode; message: string } } {
  return { error: { code: error.code, message: error.message } };
}
