/**
 * The API's authentication: every `/api` call carries `Authorization: Bearer <token>`, compared
 * in constant time.
 *
 * @example
 * ```ts
 * api.use('*', requireApiToken(token));
 * ```
 */
import type { MiddlewareHandler } from 'hono';
import { WebError } from '../errors.ts';

/**
 * Compares two strings in time that depends on the expected one's length only.
 *
 * @example
 * ```ts
 * constantTimeEqual('abc', 'abc'); // true
 * ```
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % Math.max(a.length, 1)] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Middleware refusing requests without the token (401 `Unauthorized`).
 *
 * @example
 * ```ts
 * app.use('/api/*', requireApiToken('s3cret'));
 * ```
 */
export function requireApiToken(token: string): MiddlewareHandler {
  if (token === '') throw new TypeError('the API token must not be empty');
  return async (c, next) => {
    const header = c.req.header('Authorization');
    if (header === undefined || header.trim() === '') {
      throw new WebError(
        'Unauthorized',
        'this API needs "Authorization: Bearer <token>"; pipewright serve keeps the token in <state-dir>/api-token',
      );
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (match?.[1] === undefined || !constantTimeEqual(match[1], token)) {
      throw new WebError(
        'Unauthorized',
        'the API token is not valid; send the token pipewright serve keeps in <state-dir>/api-token',
      );
    }
    await next();
  };
}
