/**
 * Choice rules of JSONPath states ("Choice workflow state", JSONPath): a `Variable` with one
 * comparison operator (`StringEquals`, `NumericLessThanPath`, `StringMatches`, `IsPresent`, …),
 * or `And` / `Or` / `Not` of rules. Values of another type than the operator expects make the
 * comparison false; a `Variable` (or `…Path` operand) that matches nothing is `States.Runtime`,
 * except for `IsPresent`.
 *
 * @example
 * ```ts
 * evaluateRule({ Variable: '$.n', NumericGreaterThan: 3 }, (p) => select(p, scope)); // true when n > 3
 * ```
 */
import { StatesError } from './errors.ts';
import type { Selection } from './jsonpath.ts';

type Rule = Record<string, unknown>;
type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const KINDS: Kind[] = ['String', 'Numeric', 'Boolean', 'Timestamp'];
const RELATIONS: Relation[] = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
const TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every comparison operator a rule may carry (the Choice state's spec). */
export const COMPARISON_OPERATORS: readonly string[] = [
  ...KINDS.flatMap((k) =>
    RELATIONS.filter((r) => k !== 'Boolean' || r === 'Equals').flatMap((r) => [`${k}${r}`, `${k}${r}Path`]),
  ),
  'StringMatches',
  ...TESTS,
];

/** True when `value` is a timestamp as Step Functions accepts it (RFC 3339, upper-case T and Z). */
export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

/** Evaluates a rule against a selector of paths. */
export function evaluateRule(rule: Rule, selectPath: (path: string) => Selection): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => evaluateRule(r, selectPath));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => evaluateRule(r, selectPath));
  if (rule.Not !== undefined) return !evaluateRule(rule.Not as Rule, selectPath);
  const variable = String(rule.Variable);
  const operator = Object.keys(rule).find((k) => COMPARISON_OPERATORS.includes(k)) as string;
  const selected = selectPath(variable);
  if (operator === 'IsPresent') return selected.found === rule.IsPresent;
  if (!selected.found) {
    throw new StatesError(
      'States.Runtime',
      `Invalid path '${variable}': The choice state's condition path references an invalid value.`,
    );
  }
  const value = selected.value;
  if ((TESTS as readonly string[]).includes(operator)) return typeTest(operator, value) === rule[operator];
  let operand = rule[operator];
  if (operator.endsWith('Path')) {
    const other = selectPath(String(operand));
    if (!other.found) {
      throw new StatesError(
        'States.Runtime',
        `Invalid path '${String(operand)}': The choice state's condition path references an invalid value.`,
      );
    }
    operand = other.value;
  }
  if (operator === 'StringMatches')
    return typeof value === 'string' && typeof operand === 'string' && wildcardMatch(operand, value);
  const kind = KINDS.find((k) => operator.startsWith(k)) as Kind;
  const relation = operator.slice(kind.length).replace(/Path$/, '') as Relation;
  return compare(kind, relation, value, operand);
}

function typeTest(operator: string, value: unknown): boolean {
  switch (operator) {
    case 'IsNull':
      return value === null;
    case 'IsNumeric':
      return typeof value === 'number';
    case 'IsString':
      return typeof value === 'string';
    case 'IsBoolean':
      return typeof value === 'boolean';
    default:
      return isTimestamp(value);
  }
}

function compare(kind: Kind, relation: Relation, a: unknown, b: unknown): boolean {
  let x: number | string | boolean;
  let y: number | string | boolean;
  if (kind === 'Numeric') {
    if (typeof a !== 'number' || typeof b !== 'number') return false;
    [x, y] = [a, b];
  } else if (kind === 'String') {
    if (typeof a !== 'string' || typeof b !== 'string') return false;
    [x, y] = [a, b];
  } else if (kind === 'Boolean') {
    if (typeof a !== 'boolean' || typeof b !== 'boolean') return false;
    return a === b;
  } else {
    if (!isTimestamp(a) || !isTimestamp(b)) return false;
    [x, y] = [Date.parse(a), Date.parse(b)];
  }
  switch (relation) {
    case 'Equals':
      return x === y;
    case 'LessThan':
      return x < y;
    case 'GreaterThan':
      return x > y;
    case 'LessThanEquals':
      return x <= y;
    default:
      return x >= y;
  }
}

/** `StringMatches`: `*` matches any run of characters; `\*` is a literal star and `\\` a backslash. */
export function wildcardMatch(pattern: string, value: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) source += `\\${pattern[++i]}`;
    else if (ch === '*') source += '[\\s\\S]*';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(value);
}
