/**
 * Structural checks of EventBridge event patterns, for validation diagnostics.
 */
import { parseCidr } from './cidr.ts';

const OPERATORS = [
  'prefix',
  'suffix',
  'anything-but',
  'numeric',
  'exists',
  'equals-ignore-case',
  'wildcard',
  'cidr',
] as const;
const NUMERIC_OPS = ['<', '<=', '=', '>', '>='] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLeaf(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function affixProblem(operand: unknown, at: string, op: string): string | undefined {
  if (typeof operand === 'string') return undefined;
  if (
    isObject(operand) &&
    Object.keys(operand).length === 1 &&
    typeof operand['equals-ignore-case'] === 'string'
  ) {
    return undefined;
  }
  return `${at}: "${op}" takes a string or {"equals-ignore-case": "…"}, e.g. {"${op}": "us-"}`;
}

function wildcardProblem(w: unknown, at: string): string | undefined {
  if (typeof w !== 'string') return `${at}: "wildcard" takes a string, e.g. {"wildcard": "dir/*.png"}`;
  if (/(?<!\\)\*\*/.test(w))
    return `${at}: wildcard "${w}" has consecutive *; one * already matches any characters`;
  return undefined;
}

function numericProblem(operand: unknown, at: string): string | undefined {
  const example = `e.g. {"numeric": [">", 0, "<=", 5]}`;
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    return `${at}: "numeric" takes one or two [operator, number] pairs, ${example}`;
  }
  let lower = 0;
  let upper = 0;
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const n = operand[i + 1];
    if (typeof op !== 'string' || !(NUMERIC_OPS as readonly string[]).includes(op)) {
      return `${at}: unknown numeric operator ${JSON.stringify(op)}; use one of ${NUMERIC_OPS.join(' ')}`;
    }
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      return `${at}: numeric operator "${op}" needs a number, not ${JSON.stringify(n)}`;
    }
    if (op === '=' && operand.length > 2)
      return `${at}: "=" cannot be combined with another numeric condition`;
    if (op.startsWith('>')) lower++;
    if (op.startsWith('<')) upper++;
  }
  if (lower > 1 || upper > 1)
    return `${at}: a numeric range has at most one lower and one upper bound, ${example}`;
  if (operand.length === 4 && (lower !== 1 || upper !== 1)) {
    return `${at}: a numeric range needs a lower (>, >=) and an upper (<, <=) bound, ${example}`;
  }
  if (operand.length === 4 && (operand[1] as number) >= (operand[3] as number)) {
    return `${at}: the numeric range is empty; the lower bound must be below the upper bound`;
  }
  return undefined;
}

function anythingButProblem(operand: unknown, at: string): string | undefined {
  if (typeof operand === 'string' || typeof operand === 'number') return undefined;
  if (Array.isArray(operand)) {
    if (operand.length === 0) return `${at}: "anything-but" needs at least one value`;
    const allStrings = operand.every((v) => typeof v === 'string');
    const allNumbers = operand.every((v) => typeof v === 'number');
    return allStrings || allNumbers
      ? undefined
      : `${at}: an "anything-but" list holds only strings or only numbers`;
  }
  if (isObject(operand) && Object.keys(operand).length === 1) {
    const [op, inner] = Object.entries(operand)[0] ?? [];
    if (op === 'prefix' || op === 'suffix') {
      return typeof inner === 'string' ? undefined : `${at}: "anything-but" "${op}" takes a string`;
    }
    if (op === 'equals-ignore-case' || op === 'wildcard') {
      const list = Array.isArray(inner) ? inner : [inner];
      if (list.length === 0 || !list.every((v) => typeof v === 'string')) {
        return `${at}: "anything-but" "${op}" takes a string or a list of strings`;
      }
      return op === 'wildcard' ? list.map((w) => wildcardProblem(w, at)).find(Boolean) : undefined;
    }
  }
  return `${at}: "anything-but" takes a value, a list of values, or one of {"prefix"}, {"suffix"}, {"equals-ignore-case"}, {"wildcard"}`;
}

function matcherProblem(matcher: unknown, at: string): string | undefined {
  if (isLeaf(matcher)) return undefined;
  if (!isObject(matcher))
    return `${at}: a matcher is a value or an operator object, not ${JSON.stringify(matcher)}`;
  const keys = Object.keys(matcher);
  if (keys.length !== 1) {
    return `${at}: an operator object has exactly one operator, found ${keys.length === 0 ? 'none' : keys.join(', ')}`;
  }
  const op = keys[0] ?? '';
  const operand = matcher[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
      return affixProblem(operand, at, op);
    case 'equals-ignore-case':
      return typeof operand === 'string' ? undefined : `${at}: "equals-ignore-case" takes a string`;
    case 'wildcard':
      return wildcardProblem(operand, at);
    case 'numeric':
      return numericProblem(operand, at);
    case 'exists':
      return typeof operand === 'boolean' ? undefined : `${at}: "exists" takes true or false`;
    case 'cidr':
      return typeof operand === 'string' && parseCidr(operand)
        ? undefined
        : `${at}: "cidr" takes an IPv4 or IPv6 block such as "10.0.0.0/24"`;
    case 'anything-but':
      return anythingButProblem(operand, at);
    default:
      return `${at}: unknown operator "${op}"; use one of ${OPERATORS.join(', ')}`;
  }
}

function walk(pattern: Record<string, unknown>, path: string, problems: string[]): void {
  if (Object.keys(pattern).length === 0) {
    problems.push(`${path || 'pattern'}: an empty object matches nothing useful; give at least one field`);
    return;
  }
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
        problems.push(`${at}: "$or" takes a list of at least two pattern objects`);
        continue;
      }
      for (const [i, alt] of value.entries()) walk(alt as Record<string, unknown>, `${at}[${i}]`, problems);
    } else if (Array.isArray(value)) {
      if (value.length === 0) problems.push(`${at}: an empty list matches nothing; list at least one value`);
      value.forEach((m, i) => {
        const p = matcherProblem(m, `${at}[${i}]`);
        if (p) problems.push(p);
      });
    } else if (isObject(value)) {
      walk(value, at, problems);
    } else {
      problems.push(`${at}: values in a pattern must be lists, e.g. "${key}": [${JSON.stringify(value)}]`);
    }
  }
}

/**
 * Problems with an EventBridge event pattern, each as `path: message` (empty when valid):
 * leaf values must be non-empty lists, only known operators, well-formed numeric ranges, …
 *
 * @example
 * ```ts
 * validateEventPattern({ source: 'aws.s3' });
 * // ['source: values in a pattern must be lists, e.g. "source": ["aws.s3"]']
 * ```
 */
export function validateEventPattern(pattern: unknown): string[] {
  if (!isObject(pattern)) return ['pattern: an event pattern is a JSON object, e.g. {"source": ["aws.s3"]}'];
  const problems: string[] = [];
  walk(pattern, '', problems);
  return problems;
}
