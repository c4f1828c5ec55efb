/**
 * How every Pipewright function is wrapped: middy with Powertools' structured JSON logger
 * (the Lambda context in every line, the cold start flagged), errors logged with their code
 * before they reach Step Functions or EventBridge (which retry or catch them), and the
 * function's parts opened once per cold start.
 *
 * @example
 * ```ts
 * const logger = functionLogger('stage-gate');
 * export const handler = lambdaEntry(logger, stageGateHandler(once(() => openParts(logger))));
 * ```
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { RETRYABLE_ERROR } from '@pipewright/core';

/**
 * The logger of one function (`POWERTOOLS_LOG_LEVEL` sets its level; default INFO).
 *
 * @example
 * ```ts
 * functionLogger('projector').info('batch', { events: 12 });
 * ```
 */
export function functionLogger(name: string): Logger {
  return new Logger({ serviceName: 'pipewright', persistentKeys: { function: name } });
}

/**
 * Opens something once: the first call starts it, later calls share it; a failed open is tried
 * again on the next invocation (a cold start that met a throttled table is not poisoned).
 *
 * @example
 * ```ts
 * const parts = once(() => openParts());
 * await parts(); await parts(); // opened once
 * ```
 */
export function once<T>(open: () => Promise<T>): () => Promise<T> {
  let opened: Promise<T> | undefined;
  return () => {
    opened ??= open().catch((e: unknown) => {
      opened = undefined;
      throw e;
    });
    return opened;
  };
}

/**
 * Wraps a handler with middy and the logger.
 *
 * @example
 * ```ts
 * export const handler = lambdaEntry(logger, async (event: unknown) => ({ ok: true }));
 * ```
 */
export function lambdaEntry<E, R>(logger: Logger, handle: (event: E) => Promise<R>) {
  return middy(async (event: E) => {
    const result = await handle(event);
    logger.debug('handled', { result: result as never });
    return result;
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        const error = request.error as (Error & { code?: string; retryable?: boolean }) | null;
        logger.error('the handler failed', {
          error: error?.message ?? String(error),
          ...(error?.code === undefined ? {} : { code: error.code }),
          ...(error?.retryable === undefined ? {} : { retryable: error.retryable }),
        });
        // Lambda reports the error's name as its type: the state machine retries this one.
        if (error !== null && error.retryable === true) request.error = retryableError(error);
      },
    });
}

/**
 * The error a function fails with when trying again may succeed: named {@link RETRYABLE_ERROR},
 * which the compiled state machine retries (its `Retry`), with the original as its cause.
 *
 * @example
 * ```ts
 * retryableError(new Error('ThrottlingException')).name; // 'Pipewright.Retryable'
 * ```
 */
export function retryableError(error: Error): Error {
  const wrapped = new Error(error.message, { cause: error });
  wrapped.name = RETRYABLE_ERROR;
  return wrapped;
}
