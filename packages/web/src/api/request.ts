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
  const key = prototypeKey(value);
  if (key !== undefined) {
    throw new WebError(
      'ValidationError',
      `${fieldPath('body', key)}: "__proto__" is not accepted as a name (it is no variable of any pipeline); remove it`,
    );
  }
  return parseWith(schema, value, 'body');
}

/**
 * The path of the first `__proto__` key in a parsed JSON value, or `undefined`. Such a key is
 * an own property after `JSON.parse`, but copying it into an object sets that object's
 * prototype instead of a value: schemas would drop it silently. Walked without recursion, so
 * deeply nested bodies cannot overflow the stack.
 */
function prototypeKey(value: unknown): PropertyKey[] | undefined {
  type Node = { value: unknown; key?: PropertyKey; parent?: Node };
  const pathOf = (node: Node): PropertyKey[] => {
    const path: PropertyKey[] = [];
    for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.push(n.key);
    return path.reverse();
  };
  const stack: Node[] = [{ value }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node.value !== 'object' || node.value === null) continue;
    const isArray = Array.isArray(node.value);
    for (const [key, child] of Object.entries(node.value)) {
      if (key === '__proto__') return [...pathOf(node), key];
      stack.push({ value: child, key: isArray ? Number(key) : key, parent: node });
    }
  }
  return undefined;
}

/**
 * Who makes an API call: the verified identity {@link requireIdentity} put on the context (a
 * user's own token names them; the server's own token may name anyone with `X-Pipewright-User`,
 * else `api`), recorded with how it was verified.
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
