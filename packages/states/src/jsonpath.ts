/**
 * JSONPath as Amazon States Language uses it (the Jayway dialect Step Functions runs): `$`
 * (the input), `$$` (the context object), `$name` (a workflow variable), then `.name`,
 * `['name']`, `.*`, `[*]`, `[n]` (negative counts from the end), `[n,m]`, `['a','b']`,
 * `[start:end:step]`, `..name` (deep scan), `[?(@.x < 3 && @.y == 'a')]` filters and
 * `[(@.length-1)]`. A *definite* path (no wildcard, deep scan, filter, union or slice) selects
 * one value; any other path selects an array of every match (possibly empty).
 *
 * @example
 * ```ts
 * const path = compilePath('$.items[*].id');
 * path.definite; // false
 * selectPath(path, { items: [{ id: 1 }, { id: 2 }] }); // { found: true, value: [1, 2] }
 * ```
 */
import { type Filter, parseFilter } from './jsonpath-filter.ts';

/** One step of a compiled path. */
export type PathStep =
  | { kind: 'name'; names: string[] }
  | { kind: 'index'; indexes: number[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'deep'; step: PathStep }
  | { kind: 'filter'; filter: Filter }
  | { kind: 'last'; minus: number };

/** A compiled path: what it is rooted at and its steps. */
export interface CompiledPath {
  text: string;
  /** `input` for `$…`, `context` for `$$…`, `variable` for `$name…`. */
  root: 'input' | 'context' | 'variable';
  /** The variable name when `root` is `variable`. */
  variable?: string;
  steps: PathStep[];
  /** True when the path selects at most one value (no wildcard, deep scan, filter, union, slice). */
  definite: boolean;
}

/** A path the dialect cannot parse. */
export class PathSyntaxError extends Error {
  override readonly name = 'PathSyntaxError';
}

const cache = new Map<string, CompiledPath>();
const NAME = /^[^.[\]\s()'"]+/;

/** Compiles (and caches) a JSONPath; throws {@link PathSyntaxError} when it is not one. */
export function compilePath(text: string): CompiledPath {
  const hit = cache.get(text);
  if (hit) return hit;
  const compiled = parse(text);
  if (cache.size > 10_000) cache.clear();
  cache.set(text, compiled);
  return compiled;
}

function parse(text: string): CompiledPath {
  if (!text.startsWith('$')) throw new PathSyntaxError(`a path starts with '$': ${text}`);
  let i = 1;
  let root: CompiledPath['root'] = 'input';
  let variable: string | undefined;
  if (text[1] === '$') {
    root = 'context';
    i = 2;
  } else {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(1));
    if (m) {
      root = 'variable';
      variable = m[0];
      i = 1 + m[0].length;
    }
  }
  const steps: PathStep[] = [];
  while (i < text.length) {
    const [step, next] = parseStep(text, i);
    steps.push(step);
    i = next;
  }
  const definite = steps.every(
    (s) =>
      s.kind === 'last' ||
      (s.kind === 'name' && s.names.length === 1) ||
      (s.kind === 'index' && s.indexes.length === 1),
  );
  return { text, root, ...(variable ? { variable } : {}), steps, definite };
}

function parseStep(text: string, i: number): [PathStep, number] {
  if (text.startsWith('..', i)) {
    const [inner, next] = text[i + 2] === '[' ? parseBracket(text, i + 2) : parseDot(text, i + 1);
    return [{ kind: 'deep', step: inner }, next];
  }
  if (text[i] === '.') return parseDot(text, i);
  if (text[i] === '[') return parseBracket(text, i);
  throw new PathSyntaxError(`unexpected '${text[i]}' at ${i} in ${text}`);
}

function parseDot(text: string, i: number): [PathStep, number] {
  if (text[i + 1] === '*') return [{ kind: 'wildcard' }, i + 2];
  const m = NAME.exec(text.slice(i + 1));
  if (!m) throw new PathSyntaxError(`a name is expected after '.' at ${i} in ${text}`);
  return [{ kind: 'name', names: [m[0]] }, i + 1 + m[0].length];
}

function parseBracket(text: string, i: number): [PathStep, number] {
  const close = closingBracket(text, i);
  const body = text.slice(i + 1, close).trim();
  const next = close + 1;
  if (body === '*') return [{ kind: 'wildcard' }, next];
  if (body.startsWith('?(') && body.endsWith(')'))
    return [{ kind: 'filter', filter: parseFilter(body.slice(2, -1)) }, next];
  const last = /^\(\s*@\.length\s*-\s*(\d+)\s*\)$/.exec(body);
  if (last) return [{ kind: 'last', minus: Number(last[1]) }, next];
  if (/^['"]/.test(body)) return [{ kind: 'name', names: splitList(body).map(unquote) }, next];
  if (body.includes(':')) {
    const [a, b, c] = body.split(':').map((s) => s.trim());
    const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : integer(s, text));
    const step = num(c) ?? 1;
    if (step <= 0) throw new PathSyntaxError(`a slice step must be positive in ${text}`);
    const start = num(a);
    const end = num(b);
    return [
      {
        kind: 'slice',
        step,
        ...(start !== undefined ? { start } : {}),
        ...(end !== undefined ? { end } : {}),
      },
      next,
    ];
  }
  return [{ kind: 'index', indexes: body.split(',').map((s) => integer(s.trim(), text)) }, next];
}

function closingBracket(text: string, open: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  throw new PathSyntaxError(`unclosed '[' at ${open} in ${text}`);
}

function splitList(body: string): string[] {
  const out: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let j = 0; j < body.length; j++) {
    const ch = body[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ',') {
      out.push(body.slice(start, j).trim());
      start = j + 1;
    }
  }
  out.push(body.slice(start).trim());
  return out;
}

function unquote(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1] || !/^['"]/.test(s))
    throw new PathSyntaxError(`bad quoted name ${s}`);
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}

function integer(s: string, text: string): number {
  if (!/^-?\d+$/.test(s)) throw new PathSyntaxError(`'${s}' is not an index in ${text}`);
  return Number(s);
}

/** Every value a path selects from `root` (the path's own root is resolved by the caller). */
export function matchAll(steps: readonly PathStep[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) applyStep(step, node, next);
    current = next;
  }
  return current;
}

function applyStep(step: PathStep, node: unknown, out: unknown[]): void {
  const isArr = Array.isArray(node);
  const isObj = typeof node === 'object' && node !== null && !isArr;
  switch (step.kind) {
    case 'name':
      if (isObj)
        for (const n of step.names)
          if (Object.hasOwn(node, n)) out.push((node as Record<string, unknown>)[n]);
      return;
    case 'index':
      if (isArr)
        for (const i of step.indexes) {
          const k = i < 0 ? node.length + i : i;
          if (k >= 0 && k < node.length) out.push(node[k]);
        }
      return;
    case 'last':
      if (isArr && node.length - step.minus >= 0) out.push(node[node.length - step.minus]);
      return;
    case 'wildcard':
      if (isArr) out.push(...node);
      else if (isObj) out.push(...Object.values(node));
      return;
    case 'slice':
      if (isArr) sliceInto(node, step, out);
      return;
    case 'filter': {
      const items = isArr ? node : isObj ? Object.values(node) : [];
      for (const item of items) if (step.filter(item)) out.push(item);
      return;
    }
    case 'deep':
      deepScan(step.step, node, out);
      return;
  }
}

function sliceInto(
  node: unknown[],
  step: { start?: number; end?: number; step: number },
  out: unknown[],
): void {
  const len = node.length;
  const norm = (v: number | undefined, dflt: number) =>
    v === undefined ? dflt : v < 0 ? Math.max(0, len + v) : Math.min(v, len);
  for (let k = norm(step.start, 0); k < norm(step.end, len); k += step.step) out.push(node[k]);
}

function deepScan(step: PathStep, node: unknown, out: unknown[]): void {
  applyStep(step, node, out);
  if (Array.isArray(node)) for (const v of node) deepScan(step, v, out);
  else if (typeof node === 'object' && node !== null)
    for (const v of Object.values(node)) deepScan(step, v, out);
}

/** The result of selecting a path: a definite path that matches nothing is `found: false`. */
export type Selection = { found: true; value: unknown } | { found: false };

/** Selects a compiled path from its root value: the one value (definite) or the array of matches. */
export function selectPath(path: CompiledPath, root: unknown): Selection {
  const matches = matchAll(path.steps, root);
  if (!path.definite) return { found: true, value: matches };
  return matches.length === 0 ? { found: false } : { found: true, value: matches[0] };
}

/** True when `text` is a Reference Path (a definite `$…` path that names one node: no `$$`, no variable). */
export function isReferencePath(text: string): boolean {
  try {
    const path = compilePath(text);
    return path.root === 'input' && path.definite && path.steps.every((s) => s.kind !== 'last');
  } catch {
    return false;
  }
}

/**
 * Writes `value` at a Reference Path inside a copy of `doc` (ResultPath): missing objects on the
 * way are created. Returns `undefined` when the path runs into a value that is not an object
 * (or an array index that is out of range), which Step Functions reports as
 * `States.ResultPathMatchFailure`.
 */
export function writePath(doc: unknown, path: CompiledPath, value: unknown): { value: unknown } | undefined {
  if (path.steps.length === 0) return { value };
  const write = (node: unknown, k: number): { value: unknown } | undefined => {
    const step = path.steps[k] as PathStep;
    const last = k === path.steps.length - 1;
    if (step.kind === 'name') {
      const base = node === undefined ? {} : node;
      if (typeof base !== 'object' || base === null || Array.isArray(base)) return undefined;
      const key = step.names[0] as string;
      const child = last ? { value } : write((base as Record<string, unknown>)[key], k + 1);
      return child && { value: { ...base, [key]: child.value } };
    }
    if (step.kind === 'index' && Array.isArray(node)) {
      const raw = step.indexes[0] as number;
      const i = raw < 0 ? node.length + raw : raw;
      if (i < 0 || i >= node.length) return undefined;
      const child = last ? { value } : write(node[i], k + 1);
      if (!child) return undefined;
      const copy = node.slice();
      copy[i] = child.value;
      return { value: copy };
    }
    return undefined;
  };
  return write(doc, 0);
}
