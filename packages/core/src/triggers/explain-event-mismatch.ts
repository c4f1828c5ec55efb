/**
 * Why an event does not match an EventBridge pattern, for people: the first (deepest) field of
 * the pattern the event fails, with the event's values there.
 */
import { matchEventPattern } from './event-pattern.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nest(path: readonly string[], inner: Record<string, unknown>): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((acc, key) => ({ [key]: acc }), inner);
}

function failingPath(
  pattern: Record<string, unknown>,
  event: unknown,
  path: readonly string[],
): { path: string[]; sub: unknown } | undefined {
  for (const [key, sub] of Object.entries(pattern)) {
    if (matchEventPattern(nest(path, { [key]: sub }), event)) continue;
    if (key !== '$or' && isObject(sub)) {
      return failingPath(sub, event, [...path, key]) ?? { path: [...path, key], sub };
    }
    return { path: [...path, key], sub };
  }
  return undefined;
}

function leaves(value: unknown, path: readonly string[]): unknown[] {
  let nodes: unknown[] = [value];
  for (const key of path) {
    const next: unknown[] = [];
    for (const n of nodes) {
      if (!isObject(n) || !Object.hasOwn(n, key)) continue;
      const v = n[key];
      if (Array.isArray(v)) next.push(...v.flat(Number.POSITIVE_INFINITY));
      else if (v !== undefined) next.push(v);
    }
    nodes = next;
  }
  return nodes.filter((n) => !isObject(n));
}

function short(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Says which field of `pattern` the event fails, or `undefined` when it matches.
 *
 * @example
 * ```ts
 * explainEventMismatch({ detail: { state: ['running'] } }, { detail: { state: 'pending' } });
 * // 'detail.state is "pending"; the pattern accepts ["running"]'
 * ```
 */
export function explainEventMismatch(pattern: Record<string, unknown>, event: unknown): string | undefined {
  if (matchEventPattern(pattern, event)) return undefined;
  const found = failingPath(pattern, event, []);
  if (found === undefined) return 'the event does not match the pattern';
  const last = found.path[found.path.length - 1];
  const parent = found.path.slice(0, -1);
  if (last === '$or') {
    const where = parent.length === 0 ? '' : ` under ${parent.join('.')}`;
    return `no alternative of $or${where} matches (${short(found.sub)})`;
  }
  const name = found.path.join('.');
  const values = leaves(event, found.path);
  const has =
    values.length === 0
      ? 'is missing'
      : `is ${values.length === 1 ? short(values[0]) : `[${values.map((v) => short(v, 40)).join(', ')}]`}`;
  return `${name} ${has}; the pattern accepts ${short(found.sub)}`;
}
