/**
 * Reading API requests: JSON bodies and query strings checked with zod (a 400 naming the field
 * path), and the acting user.
 *
 * @example
 * ```ts
 * const body = await jsonBody(c, StopBodySchema); // throws WebError('ValidationError', 'body.abandon: …')
 * ```
 */
import type { EventActor } from '@pipewright/core';
import type { Context } from 'hono';
import type * as z from 'zod';
import { WebError } from '../errors.ts';
import { identityActor } from '../identity/identity.ts';

/** The header that names the acting user of an API call. @example `'X-Pipewright-User: alice'` */
export const USER_HEADER = 'X-Pipewright-User';

/**
 * A field path as `body.variables.ENV` or `body.items[0]`.
 *
 * @example
 * ```ts
 * fieldPath('body', ['variables', 'ENV']); // 'body.variables.ENV'
 * ```
 */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    root,
  );
}

/**
 * Parses a value with a schema; a `ValidationError` listing each problem with its path.
 *
 * @example
 * ```ts
 * const query = parseWith(QuerySchema, c.req.query(), 'query');
 * ```
 */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, root: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${fieldPath(root, i.path)}: ${i.message}`);
  throw new WebError('ValidationError', problems.join('; '));
}

/**
 * The request's JSON body checked against a schema; an empty body reads as `{}`.
 *
 * @example
 * ```ts
 * const { variables } = await jsonBody(c, StartBodySchema);
 * ```
 */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new WebError('BadRequest', 'the body is not valid JSON; send a JSON object');
    }
  }
  return parseWith(schema, value, 'body');
}

/**
 * Who makes an API call: the verified identity {@link requireIdentity} put on the context (a
 * user's own token names them; the server's own token may name anyone with `X-Pipewright-User`,
 * else `admin`), recorded with how it was verified.
 *
 * @example
 * ```ts
 * apiActor(c); // { kind: 'user', id: 'alice', verifiedBy: 'token' }
 * ```
 */
export function apiActor(c: Context): EventActor {
  const identity = c.get('identity');
  if (identity === undefined) {
    throw new WebError('Unauthorized', 'this route needs a verified caller (Authorization: Bearer <token>)');
  }
  return identityActor(identity);
}
