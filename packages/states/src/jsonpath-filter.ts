/**
 * The filter expressions of JSONPath (`[?( … )]`) as Jayway evaluates them: operands are `@`
 * paths (`@.price`, `@['a b'].c`, `@`), numbers, single- or double-quoted strings, `true`,
 * `false` and `null`; operators `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, `!` and
 * parentheses. A lone `@…` operand tests that the path exists. Comparing values of different
 * types is false (except `!=`).
 *
 * @example
 * ```ts
 * const cheap = parseFilter("@.price < 10 && @.tag == 'x'");
 * cheap({ price: 5, tag: 'x' }); // true
 * ```
 */
import { matchAll, type PathStep, PathSyntaxError } from './jsonpath.ts';

/** A compiled filter: true when the item passes. */
export type Filter = (item: unknown) => boolean;

type Operand = { path: PathStep[] } | { literal: unknown };
type Token = { op: string } | { operand: Operand };

const TOKEN =
  /\s*(?:(&&|\|\||==|!=|<=|>=|<|>|!|\(|\))|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false|null)\b|(@(?:\.[^\s.[\]()=!<>&|]+|\[[^\]]*\]|\.\*)*))/y;

/** Compiles a filter body (the text between `?(` and `)`). */
export function parseFilter(body: string): Filter {
  const tokens = tokenize(body);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (op: string) => {
    const t = peek();
    return t !== undefined && 'op' in t && t.op === op;
  };
  const or = (): Filter => {
    let left = and();
    while (isOp('||')) {
      pos++;
      const l = left;
      const r = and();
      left = (item) => l(item) || r(item);
    }
    return left;
  };
  const and = (): Filter => {
    let left = unary();
    while (isOp('&&')) {
      pos++;
      const l = left;
      const r = unary();
      left = (item) => l(item) && r(item);
    }
    return left;
  };
  const unary = (): Filter => {
    if (isOp('!')) {
      pos++;
      const inner = unary();
      return (item) => !inner(item);
    }
    if (isOp('(')) {
      pos++;
      const inner = or();
      if (!isOp(')')) throw new PathSyntaxError(`missing ')' in filter ${body}`);
      pos++;
      return inner;
    }
    return comparison();
  };
  const comparison = (): Filter => {
    const left = operand();
    const t = peek();
    if (t && 'op' in t && ['==', '!=', '<', '<=', '>', '>='].includes(t.op)) {
      pos++;
      const right = operand();
      return (item) => compare(t.op, resolve(left, item), resolve(right, item));
    }
    if (!('path' in left)) return () => Boolean(left.literal);
    return (item) => matchAll(left.path, item).length > 0;
  };
  const operand = (): Operand => {
    const t = tokens[pos++];
    if (!t || !('operand' in t)) throw new PathSyntaxError(`an operand is expected in filter ${body}`);
    return t.operand;
  };
  const filter = or();
  if (pos !== tokens.length) throw new PathSyntaxError(`unexpected text in filter ${body}`);
  return filter;
}

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.trimEnd().length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(body);
    if (!m) throw new PathSyntaxError(`cannot read filter ${body} at ${at}`);
    if (m[1]) tokens.push({ op: m[1] });
    else if (m[2]) tokens.push({ operand: { literal: m[2].slice(1, -1).replace(/\\(.)/g, '$1') } });
    else if (m[3]) tokens.push({ operand: { literal: Number(m[3]) } });
    else if (m[4]) tokens.push({ operand: { literal: JSON.parse(m[4]) } });
    else if (m[5] !== undefined) tokens.push({ operand: { path: atPath(m[5]) } });
  }
  return tokens;
}

function atPath(text: string): PathStep[] {
  const steps: PathStep[] = [];
  const re = /\.(\*|[^\s.[\]]+)|\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+)|\*)\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) throw new PathSyntaxError(`cannot read ${text}`);
    if (m[1] === '*' || m[0].replace(/\s/g, '') === '[*]') steps.push({ kind: 'wildcard' });
    else if (m[4] !== undefined) steps.push({ kind: 'index', indexes: [Number(m[4])] });
    else steps.push({ kind: 'name', names: [(m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1')] });
  }
  return steps;
}

function resolve(operand: Operand, item: unknown): { value: unknown } | undefined {
  if ('literal' in operand) return { value: operand.literal };
  const matches = matchAll(operand.path, item);
  return matches.length === 0 ? undefined : { value: matches[0] };
}

function compare(op: string, a: { value: unknown } | undefined, b: { value: unknown } | undefined): boolean {
  if (!a || !b) return op === '!=' && a !== b;
  const x = a.value;
  const y = b.value;
  if (op === '==') return deepEqual(x, y);
  if (op === '!=') return !deepEqual(x, y);
  if (typeof x !== typeof y || (typeof x !== 'number' && typeof x !== 'string')) return false;
  const [l, r] = [x as number | string, y as number | string];
  if (op === '<') return l < r;
  if (op === '<=') return l <= r;
  if (op === '>') return l > r;
  return l >= r;
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b, k) &&
        deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
