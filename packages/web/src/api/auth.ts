/**
 * The API's authentication and authorization: every `/api` call carries `Authorization: Bearer
 * <token>` — a user's own token or the server's — which names a verified identity, whose roles
 * must allow the request.
 *
 * @example
 * ```ts
 * api.use('*', requireApiToken(token));
 * ```
 */
import type { MiddlewareHandler } from 'hono';
import { WebError } from '../errors.ts';
import { can, type Identity, type Permission } from '../identity/identity.ts';
import { UserDirectory } from '../identity/user-directory.ts';

export { constantTimeEqual } from '../identity/constant-time.ts';

import { USER_HEADER } from './request.ts';

/**
 * Middleware refusing requests without the token (401 `Unauthorized`). Kept for callers that
 * serve one token only; the app itself uses {@link requireIdentity}.
 *
 * @example
 * ```ts
 * app.use('/api/*', requireApiToken('s3cret'));
 * ```
 */
export function requireApiToken(token: string): MiddlewareHandler {
  return requireIdentity(() => new UserDirectory({ users: [], approvals: [] }, token));
}

function bearer(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new WebError(
      'Unauthorized',
      'this API needs "Authorization: Bearer <token>": your own token (pipewright users token <name>), or the one pipewright serve keeps in <state-dir>/api-token',
    );
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (match?.[1] === undefined) {
    throw new WebError(
      'Unauthorized',
      'the API token is not valid: the Authorization header must be "Bearer <token>"',
    );
  }
  return match[1];
}

/**
 * The permission a request needs: reading for GET and HEAD, deciding for approval decisions,
 * operating for everything else.
 *
 * @example
 * ```ts
 * permissionOf('POST', '/api/executions/7f0c/approvals'); // 'approve'
 * ```
 */
export function permissionOf(method: string, path: string): Permission {
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (/^\/api\/executions\/[^/]+\/approvals\/?$/.test(path)) return 'approve';
  return 'operate';
}

/**
 * Middleware that verifies who calls (401 without a known token), checks that their roles
 * allow the request (403 otherwise, with what is missing), and puts the identity on the
 * context (`c.get('identity')`).
 *
 * @example
 * ```ts
 * app.use('/api/*', requireIdentity(() => directory));
 * ```
 */
export function requireIdentity(directory: () => UserDirectory): MiddlewareHandler {
  return async (c, next) => {
    const token = bearer(c.req.header('Authorization'));
    const identity = directory().byToken(token, namedUser(c.req.header(USER_HEADER)));
    if (identity === undefined) {
      throw new WebError(
        'Unauthorized',
        'the API token is not valid; send your own token (pipewright users token <name>) or the one pipewright serve keeps in <state-dir>/api-token',
      );
    }
    const needed = permissionOf(c.req.method, c.req.path);
    if (!can(identity, needed)) {
      throw new WebError(
        'Forbidden',
        `${identity.user} (roles: ${identity.roles.join(', ')}) may not ${needed} here; ask an admin for a role that may (${needed === 'approve' ? 'approver' : 'operator'})`,
      );
    }
    c.set('identity', identity);
    await next();
  };
}

function namedUser(header: string | undefined): string | undefined {
  const named = header?.trim() ?? '';
  if (named === '') return undefined;
  if (named.length > 128 || /[\p{Cc}]/u.test(named)) {
    throw new WebError(
      'ValidationError',
      `header ${USER_HEADER}: a user name of 1 to 128 printable characters`,
    );
  }
  return named;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified caller, set by {@link requireIdentity}. */
    identity: Identity;
  }
}
