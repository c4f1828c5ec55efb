/**
 * Evaluates the JSONata templates of a state (`"{% … %}"` strings anywhere inside `Arguments`,
 * `Output`, `Assign`, `Condition`, …) as Step Functions does: `$states` and the workflow
 * variables are bound, Step Functions' extra functions (`$partition`, `$range`, `$hash`,
 * `$random`, `$uuid`, `$parse`) are available, `$eval` is not, `$now()`/`$millis()` read the
 * injected clock, and any failure — a syntax error, a reference to an unassigned variable, an
 * expression that returns nothing — raises `States.QueryEvaluationError`.
 *
 * @example
 * ```ts
 * const evaluator = new JsonataEvaluator({ now: () => 0, uuid: () => 'id', random: () => 0.5 });
 * await evaluator.evaluate({ n: '{% $x + 1 %}' }, { states: {}, variables: { x: 1 } }, 'Output', 'S'); // { n: 2 }
 * ```
 */
import { createHash } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesError } from './errors.ts';
import { javaRandomDouble } from './java-random.ts';
import { BAIL, compileFast, type FastExpression } from './jsonata-fast.ts';

/** What an expression can see. */
export interface EvaluationScope {
  /** The reserved `$states` variable: input, result, errorOutput, context. */
  states: Record<string, unknown>;
  /** Workflow variables visible to the state (outer scopes included). */
  variables: Readonly<Record<string, unknown>>;
}

interface Compiled {
  expression: jsonata.Expression;
  variables: string[];
  fast: FastExpression | undefined;
}

/** The effects the extra functions need, injected. */
export interface EvaluatorEnvironment {
  now(): number;
  uuid(): string;
  random(): number;
}

const JSONATA_FUNCTIONS = new Set(
  (
    'string length substring substringBefore substringAfter uppercase lowercase trim pad contains split join ' +
    'match replace base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl ' +
    'formatNumber formatBase formatInteger parseInteger number abs floor ceil round power sqrt random sum max ' +
    'min average boolean not exists count append sort reverse shuffle distinct zip keys lookup spread merge ' +
    'sift each error assert type map filter single reduce now millis fromMillis toMillis partition range hash ' +
    'uuid parse eval states'
  ).split(' '),
);

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** True when `value` is a JSONata template: the whole string starts with `{%` and ends with `%}` (`" {% 1 %}"` is a literal). */
export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

/** Compiles (once per text) and evaluates JSONata templates. */
export class JsonataEvaluator {
  readonly #cache = new Map<string, Compiled>();
  readonly #templates = new WeakMap<object, FastExpression>();
  readonly #stringTemplates = new Map<string, FastExpression>();
  readonly #functions: Record<string, unknown>;

  constructor(env: EvaluatorEnvironment) {
    this.#functions = {
      now: () => new Date(env.now()).toISOString(),
      millis: () => env.now(),
      uuid: () => env.uuid(),
      random: (seed?: number) => (seed === undefined ? env.random() : javaRandomDouble(seed)),
      parse: (text: string) => JSON.parse(text),
      partition: (array: unknown[], size: number) => {
        const out: unknown[][] = [];
        for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
        return out;
      },
      range: (start: number, end: number, step = 1) => {
        if (step === 0) throw new Error('$range: the step must not be 0');
        const out: number[] = [];
        for (let n = start; step > 0 ? n <= end : n >= end; n += step) out.push(n);
        // JSONata sequences: a one-item result is the item itself, as Step Functions returns it.
        return out.length === 1 ? out[0] : out;
      },
      hash: (data: unknown, algorithm: string) => {
        const algo = HASH_ALGORITHMS[algorithm];
        if (!algo) throw new Error(`$hash: unsupported algorithm ${algorithm}`);
        return createHash(algo)
          .update(typeof data === 'string' ? data : JSON.stringify(data))
          .digest('hex');
      },
      eval: () => {
        throw new Error('$eval is not supported by Step Functions');
      },
    };
  }

  /**
   * Evaluates every template inside `value` (objects and arrays are walked; other values are
   * literals). `field` and `stateName` only label errors.
   */
  async evaluate(value: unknown, scope: EvaluationScope, field: string, stateName: string): Promise<unknown> {
    const fast = this.#template(value)(scope);
    return fast === BAIL ? this.#evaluateSlow(value, scope, field, stateName) : fast;
  }

  /** The value at once when the fast path can answer exactly, else {@link BAIL} (then call `evaluate`). */
  tryFast(value: unknown, scope: EvaluationScope): unknown {
    return this.#template(value)(scope);
  }

  /** The fast evaluator of a whole field value (compiled once per value). */
  #template(value: unknown): FastExpression {
    if (typeof value === 'string') {
      if (!isTemplate(value)) return () => value;
      let compiled = this.#stringTemplates.get(value);
      if (!compiled) {
        const fast = this.#compiled(value.slice(2, -2))?.fast;
        compiled = fast
          ? (scope) => {
              const result = fast(scope);
              return result === undefined ? BAIL : result;
            }
          : () => BAIL;
        this.#stringTemplates.set(value, compiled);
      }
      return compiled;
    }
    if (typeof value !== 'object' || value === null) return () => value;
    const hit = this.#templates.get(value);
    if (hit) return hit;
    let compiled: FastExpression;
    if (Array.isArray(value)) {
      const items = value.map((v) => this.#template(v));
      compiled = (scope) => {
        const out: unknown[] = [];
        for (const item of items) {
          const v = item(scope);
          if (v === BAIL) return BAIL;
          out.push(v);
        }
        return out;
      };
    } else {
      const entries = Object.entries(value).map(([k, v]) => [k, this.#template(v)] as const);
      compiled = (scope) => {
        const out: Record<string, unknown> = {};
        for (const [k, item] of entries) {
          const v = item(scope);
          if (v === BAIL) return BAIL;
          out[k] = v;
        }
        return out;
      };
    }
    this.#templates.set(value, compiled);
    return compiled;
  }

  /** The compiled form of an expression text (cached); undefined when it does not compile. */
  #compiled(text: string): Compiled | undefined {
    let compiled = this.#cache.get(text);
    if (compiled) return compiled;
    try {
      const expression = jsonata(text);
      const ast = expression.ast();
      compiled = { expression, variables: freeVariables(ast), fast: compileFast(ast) };
    } catch {
      return undefined;
    }
    this.#cache.set(text, compiled);
    return compiled;
  }

  async #evaluateSlow(
    value: unknown,
    scope: EvaluationScope,
    field: string,
    stateName: string,
  ): Promise<unknown> {
    if (isTemplate(value)) return this.#evaluateOne(value, scope, field, stateName);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++)
        out.push(await this.#evaluateSlow(value[i], scope, `${field}[${i}]`, stateName));
      return out;
    }
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value))
        out[k] = await this.#evaluateSlow(v, scope, `${field}/${k}`, stateName);
      return out;
    }
    return value;
  }

  async #evaluateOne(
    template: string,
    scope: EvaluationScope,
    field: string,
    stateName: string,
  ): Promise<unknown> {
    const text = template.slice(2, -2);
    const fail = (why: string) =>
      new StatesError(
        'States.QueryEvaluationError',
        `An error occurred while executing the state '${stateName}'. The JSONata expression '${text.trim()}' specified for the field '${field}' ${why}`,
      );
    const compiled = this.#compiled(text);
    if (!compiled) {
      try {
        jsonata(text);
      } catch (e) {
        throw fail(`is not valid JSONata: ${(e as Error).message}`);
      }
      throw fail('is not valid JSONata');
    }
    for (const name of compiled.variables) {
      if (!(name in scope.variables) && !JSONATA_FUNCTIONS.has(name))
        throw fail(`references the variable '$${name}', which is not assigned`);
    }
    let result: unknown;
    try {
      result = await compiled.expression.evaluate(
        {},
        { ...this.#functions, ...scope.variables, states: scope.states },
      );
    } catch (e) {
      throw fail(`threw an error: ${(e as Error).message}`);
    }
    if (result === undefined) throw fail('returned nothing (undefined).');
    return toJson(result, fail);
  }
}

/** Variables an expression reads that it does not bind itself (`:=`, lambda parameters). */
function freeVariables(ast: jsonata.ExprNode): string[] {
  const read = new Set<string>();
  const bound = new Set<string>();
  const walk = (node: unknown, procedure: boolean): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, false);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (
      n.type === 'variable' &&
      typeof n.value === 'string' &&
      n.value !== '' &&
      n.value !== '$' &&
      !procedure
    )
      read.add(n.value);
    if (n.type === 'bind' && typeof (n.lhs as { value?: unknown })?.value === 'string') {
      bound.add((n.lhs as { value: string }).value);
    }
    if (n.type === 'lambda' && Array.isArray(n.arguments)) {
      for (const a of n.arguments as { value?: unknown }[])
        if (typeof a.value === 'string') bound.add(a.value);
    }
    for (const [key, child] of Object.entries(n)) {
      if (key === 'procedure') walk(child, true);
      else if (typeof child === 'object') walk(child, false);
    }
  };
  walk(ast, false);
  return [...read].filter((v) => !bound.has(v));
}

function toJson(value: unknown, fail: (why: string) => Error): unknown {
  if (typeof value === 'function') throw fail('returned a function, which is not JSON.');
  try {
    return JSON.parse(JSON.stringify(value));
  } catch (e) {
    throw fail(`returned a value that is not JSON: ${(e as Error).message}`);
  }
}
