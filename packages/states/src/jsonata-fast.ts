/**
 * A synchronous fast path for the JSONata expressions state machines write most: paths over
 * `$states` and variables (`$states.input.n`, `$x.y`), literals, object constructors with
 * literal keys, arithmetic, comparisons, `&`, `and`/`or` and `? :`. The compiled closure gives
 * JSONata's answer, or {@link BAIL} whenever JSONata's semantics could differ (an array along a
 * path — sequence flattening —, an operand of another type, an unassigned variable, anything
 * that would raise an error); the caller then runs the real JSONata evaluator, which stays the
 * reference. Expressions outside the subset compile to `undefined`.
 *
 * @example
 * ```ts
 * const fast = compileFast(jsonata('$states.input.n + 1').ast());
 * fast?.({ states: { input: { n: 1 } }, variables: {} }); // 2
 * ```
 */
import type jsonata from 'jsonata';

/** Returned when the fast path cannot answer exactly as JSONata would. */
export const BAIL: unique symbol = Symbol('bail');

/** What an expression sees: `$states` and the workflow variables. */
export interface FastBindings {
  states: unknown;
  variables: Readonly<Record<string, unknown>>;
}
/** A compiled fast expression. */
export type FastExpression = (bindings: FastBindings) => unknown;

type Node = Record<string, unknown>;

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};
const ORDER: Record<string, (a: number | string, b: number | string) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compiles an expression's AST, or returns `undefined` when it is outside the subset. */
export function compileFast(ast: jsonata.ExprNode): FastExpression | undefined {
  try {
    return compile(ast as unknown as Node);
  } catch {
    return undefined;
  }
}

function unsupported(): never {
  throw new Error('outside the fast subset');
}

function compile(node: Node): FastExpression {
  for (const key of [
    'stages',
    'predicate',
    'group',
    'focus',
    'index',
    'tuple',
    'keepArray',
    'keepSingletonArray',
  ]) {
    if (node[key] !== undefined) unsupported();
  }
  switch (node.type) {
    case 'number':
    case 'string':
    case 'value': {
      const value = node.value;
      return () => value;
    }
    case 'variable':
      return variable(String(node.value));
    case 'path':
      return path(node.steps as Node[]);
    case 'binary':
      return binary(String(node.value), compile(node.lhs as Node), compile(node.rhs as Node));
    case 'condition':
      return condition(node);
    case 'unary':
      return unary(node);
    default:
      return unsupported();
  }
}

function variable(name: string): FastExpression {
  if (name === '') unsupported();
  const read =
    name === 'states'
      ? (b: FastBindings) => b.states
      : (b: FastBindings) => (Object.hasOwn(b.variables, name) ? b.variables[name] : BAIL);
  return (b) => {
    const v = read(b);
    return Array.isArray(v) || typeof v === 'function' ? BAIL : v;
  };
}

function path(steps: Node[]): FastExpression {
  const [first, ...rest] = steps;
  if (first?.type !== 'variable') unsupported();
  const names = rest.map((s) => {
    if (s.type !== 'name' || Object.keys(s).some((k) => !['type', 'value', 'position'].includes(k)))
      unsupported();
    return String(s.value);
  });
  for (const key of Object.keys(first)) if (!['type', 'value', 'position'].includes(key)) unsupported();
  const root = variable(String(first.value));
  return (b) => {
    let v = root(b);
    for (const name of names) {
      if (v === BAIL) return BAIL;
      if (v === undefined) return undefined;
      if (!isPlainObject(v)) return Array.isArray(v) ? BAIL : undefined;
      v = Object.hasOwn(v, name) ? v[name] : undefined;
    }
    return Array.isArray(v) || typeof v === 'function' ? BAIL : v;
  };
}

function binary(op: string, lhs: FastExpression, rhs: FastExpression): FastExpression {
  const arithmetic = ARITHMETIC[op];
  if (arithmetic) {
    return (b) => {
      const x = lhs(b);
      const y = rhs(b);
      if (typeof x !== 'number' || typeof y !== 'number') return BAIL;
      const r = arithmetic(x, y);
      return Number.isFinite(r) ? r : BAIL;
    };
  }
  const order = ORDER[op];
  if (order) {
    return (b) => {
      const x = lhs(b);
      const y = rhs(b);
      const bothNumbers = typeof x === 'number' && typeof y === 'number';
      const bothStrings = typeof x === 'string' && typeof y === 'string';
      return bothNumbers || bothStrings ? order(x as number | string, y as number | string) : BAIL;
    };
  }
  if (op === '=' || op === '!=') {
    return (b) => {
      const x = lhs(b);
      const y = rhs(b);
      if (x === BAIL || y === BAIL || x === undefined || y === undefined) return BAIL;
      if (typeof x === 'object' || typeof y === 'object') return BAIL;
      return op === '=' ? x === y : x !== y;
    };
  }
  if (op === '&') {
    return (b) => {
      const x = lhs(b);
      const y = rhs(b);
      return typeof x === 'string' && typeof y === 'string' ? x + y : BAIL;
    };
  }
  if (op === 'and' || op === 'or') {
    return (b) => {
      const x = lhs(b);
      if (typeof x !== 'boolean') return BAIL;
      if (op === 'and' ? !x : x) return x;
      const y = rhs(b);
      return typeof y === 'boolean' ? y : BAIL;
    };
  }
  return unsupported();
}

function condition(node: Node): FastExpression {
  const test = compile(node.condition as Node);
  const then = compile(node.then as Node);
  const otherwise = node.else === undefined ? () => undefined : compile(node.else as Node);
  return (b) => {
    const t = test(b);
    if (typeof t !== 'boolean') return BAIL;
    return t ? then(b) : otherwise(b);
  };
}

function unary(node: Node): FastExpression {
  if (node.value === '-') {
    const inner = compile(node.expression as Node);
    return (b) => {
      const v = inner(b);
      return typeof v === 'number' ? -v : BAIL;
    };
  }
  if (node.value !== '{') return unsupported();
  const pairs = (node.lhs as Node[][]).map(([key, value]) => {
    if (key?.type !== 'string') unsupported();
    return [String(key.value), compile(value as Node)] as const;
  });
  if (new Set(pairs.map(([k]) => k)).size !== pairs.length) unsupported();
  return (b) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of pairs) {
      const v = value(b);
      if (v === BAIL) return BAIL;
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
}
