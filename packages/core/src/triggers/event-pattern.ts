/**
 * EventBridge event patterns: matching events the way EventBridge does
 * (userguide `eb-event-patterns.html`, `eb-event-patterns-content-based-filtering.html`,
 * `eb-create-pattern-operators.html`).
 *
 * - A pattern is an object; each key holds a nested pattern object or an array of matchers
 *   (OR'ed). Keys are AND'ed. `$or: [pattern, …]` at any level matches when one alternative does.
 * - Matchers: literal strings, numbers (compared numerically), booleans and `null`;
 *   `{prefix}`, `{suffix}` (a string, or `{equals-ignore-case: s}`); `{equals-ignore-case}`;
 *   `{wildcard}` (`*` any characters, `\*` a star); `{numeric: [op, n, op, n]}`; `{exists: bool}`;
 *   `{cidr}`; `{anything-but: value | [values] | {prefix} | {suffix} | {equals-ignore-case} | {wildcard}}`.
 * - The event is seen as leaf values per path: arrays (also arrays of objects) are flattened, and
 *   a key matches when any of its leaf values matches one matcher. A missing key (or one with no
 *   leaf values) matches only `{exists: false}`; `exists` concerns leaves, not objects.
 * - Like EventBridge's classic matching, elements of different array items may satisfy
 *   different keys of the same nested pattern.
 */
import { cidrContains } from './cidr.ts';

type Leaf = string | number | boolean | null;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Flattens arrays; keeps objects and leaves. */
function expand(value: unknown, out: unknown[]): void {
  if (Array.isArray(value)) for (const v of value) expand(v, out);
  else if (value !== undefined) out.push(value);
}

function wildcardRegex(pattern: string, flags = ''): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i] ?? '';
      re += next.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    } else if (c === '*') re += '.*';
    else re += c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, `s${flags}`);
}

/** `prefix`/`suffix` operand: a string, or `{equals-ignore-case: string}`. */
function affix(operand: unknown, value: Leaf, test: (v: string, a: string) => boolean): boolean {
  if (typeof value !== 'string') return false;
  if (typeof operand === 'string') return test(value, operand);
  if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), operand['equals-ignore-case'].toLowerCase());
  }
  return false;
}

function numericMatch(conditions: unknown, value: Leaf): boolean {
  if (typeof value !== 'number' || !Array.isArray(conditions)) return false;
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = conditions[i];
    const n = conditions[i + 1];
    if (typeof n !== 'number') return false;
    const ok =
      op === '<'
        ? value < n
        : op === '<='
          ? value <= n
          : op === '='
            ? value === n
            : op === '>'
              ? value > n
              : op === '>='
                ? value >= n
                : false;
    if (!ok) return false;
  }
  return conditions.length > 0 && conditions.length % 2 === 0;
}

function literalEquals(a: unknown, b: Leaf): boolean {
  return a === b;
}

function anythingBut(operand: unknown, value: Leaf): boolean {
  if (Array.isArray(operand)) return !operand.some((o) => literalEquals(o, value));
  if (isObject(operand)) {
    if (typeof value !== 'string') return false;
    if ('prefix' in operand) return affix(operand.prefix, value, (v, a) => !v.startsWith(a));
    if ('suffix' in operand) return affix(operand.suffix, value, (v, a) => !v.endsWith(a));
    const ignoreCase = operand['equals-ignore-case'];
    if (ignoreCase !== undefined) {
      const list = Array.isArray(ignoreCase) ? ignoreCase : [ignoreCase];
      return !list.some((s) => typeof s === 'string' && s.toLowerCase() === value.toLowerCase());
    }
    const wildcard = operand.wildcard;
    if (wildcard !== undefined) {
      const list = Array.isArray(wildcard) ? wildcard : [wildcard];
      return !list.some((w) => typeof w === 'string' && wildcardRegex(w).test(value));
    }
    return false;
  }
  return !literalEquals(operand, value);
}

/** Whether one matcher accepts one leaf value. `exists` is handled by the caller. */
function matcherAccepts(matcher: unknown, value: Leaf): boolean {
  if (!isObject(matcher)) return literalEquals(matcher, value);
  const [op, operand] = Object.entries(matcher)[0] ?? [];
  switch (op) {
    case 'prefix':
      return affix(operand, value, (v, a) => v.startsWith(a));
    case 'suffix':
      return affix(operand, value, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      return (
        typeof value === 'string' &&
        typeof operand === 'string' &&
        value.toLowerCase() === operand.toLowerCase()
      );
    case 'wildcard':
      return typeof value === 'string' && typeof operand === 'string' && wildcardRegex(operand).test(value);
    case 'numeric':
      return numericMatch(operand, value);
    case 'cidr':
      return typeof value === 'string' && typeof operand === 'string' && cidrContains(operand, value);
    case 'anything-but':
      return anythingBut(operand, value);
    default:
      return false;
  }
}

function leafMatches(matchers: readonly unknown[], leaves: readonly Leaf[]): boolean {
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) return m.exists === true ? leaves.length > 0 : leaves.length === 0;
    return leaves.some((v) => matcherAccepts(m, v));
  });
}

function matchNodes(pattern: Record<string, unknown>, nodes: readonly unknown[]): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || !sub.some((alt) => isObject(alt) && matchNodes(alt, nodes))) return false;
      continue;
    }
    const children: unknown[] = [];
    for (const node of nodes) if (isObject(node) && Object.hasOwn(node, key)) expand(node[key], children);
    if (Array.isArray(sub)) {
      const leaves = children.filter((c): c is Leaf => !isObject(c));
      if (!leafMatches(sub, leaves)) return false;
    } else if (isObject(sub)) {
      if (!matchNodes(sub, children.filter(isObject))) return false;
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Whether `event` matches the EventBridge `pattern`.
 *
 * @example
 * ```ts
 * matchEventPattern(
 *   { source: ['aws.ec2'], detail: { state: [{ 'anything-but': 'initializing' }] } },
 *   { source: 'aws.ec2', detail: { state: 'running' } },
 * ); // true
 * ```
 */
export function matchEventPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return matchNodes(pattern, [event]);
}
