/**
 * Parses ASL intrinsic function calls (`States.Format('x={}', $.x)`) into a small tree:
 * arguments are single-quoted strings (escapes `\'`, `\\`, `\{`, `\}`), numbers, `true`,
 * `false`, `null`, JSONPaths (`$.a`, `$$.Execution.Id`, `$var`) and nested calls.
 *
 * @example
 * ```ts
 * parseIntrinsic("States.Array(1, 'a', $.b)");
 * // { name: 'States.Array', args: [{ kind: 'literal', value: 1 }, { kind: 'literal', value: 'a', … }, { kind: 'path', path: '$.b' }] }
 * ```
 */

/** One argument of a call. */
export type IntrinsicArg =
  | { kind: 'literal'; value: unknown; raw?: string }
  | { kind: 'path'; path: string }
  | { kind: 'call'; call: IntrinsicCall };

/** A call of an intrinsic function. */
export interface IntrinsicCall {
  name: string;
  args: IntrinsicArg[];
}

/** The text is not a well-formed intrinsic call. */
export class IntrinsicSyntaxError extends Error {
  override readonly name = 'IntrinsicSyntaxError';
}

const cache = new Map<string, IntrinsicCall>();

/** True when a `.$` value is an intrinsic call rather than a path. */
export function looksLikeIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\(/.test(text);
}

/** Parses (and caches) one call; throws {@link IntrinsicSyntaxError}. */
export function parseIntrinsic(text: string): IntrinsicCall {
  const hit = cache.get(text);
  if (hit) return hit;
  const [call, end] = parseCall(text, 0);
  if (text.slice(end).trim() !== '')
    throw new IntrinsicSyntaxError(`unexpected text after the call in ${text}`);
  cache.set(text, call);
  return call;
}

function parseCall(text: string, start: number): [IntrinsicCall, number] {
  const m = /^States\.[A-Za-z0-9]+/.exec(text.slice(start));
  if (!m || text[start + m[0].length] !== '(')
    throw new IntrinsicSyntaxError(`a call 'States.Name(…)' is expected at ${start} in ${text}`);
  let i = start + m[0].length + 1;
  const args: IntrinsicArg[] = [];
  i = skipSpace(text, i);
  if (text[i] === ')') return [{ name: m[0], args }, i + 1];
  for (;;) {
    const [arg, next] = parseArg(text, skipSpace(text, i));
    args.push(arg);
    i = skipSpace(text, next);
    if (text[i] === ',') i++;
    else if (text[i] === ')') return [{ name: m[0], args }, i + 1];
    else throw new IntrinsicSyntaxError(`',' or ')' is expected at ${i} in ${text}`);
  }
}

function skipSpace(text: string, i: number): number {
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n') i++;
  return i;
}

function parseArg(text: string, i: number): [IntrinsicArg, number] {
  const ch = text[i];
  if (ch === "'") return parseString(text, i);
  if (text.startsWith('States.', i)) {
    const [call, next] = parseCall(text, i);
    return [{ kind: 'call', call }, next];
  }
  if (ch === '$') {
    const end = pathEnd(text, i);
    return [{ kind: 'path', path: text.slice(i, end).trim() }, end];
  }
  const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(text.slice(i));
  if (!m) throw new IntrinsicSyntaxError(`an argument is expected at ${i} in ${text}`);
  return [{ kind: 'literal', value: JSON.parse(m[0]) }, i + m[0].length];
}

function parseString(text: string, start: number): [IntrinsicArg, number] {
  let value = '';
  let raw = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined) break;
      value += next;
      raw += next === '{' || next === '}' ? `\\${next}` : next === '\\' ? '\\\\' : next;
      i++;
    } else if (ch === "'") return [{ kind: 'literal', value, raw }, i + 1];
    else {
      value += ch;
      raw += ch;
    }
  }
  throw new IntrinsicSyntaxError(`unclosed string at ${start} in ${text}`);
}

function pathEnd(text: string, i: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || (ch === ')' && depth > 0)) depth--;
    else if (depth === 0 && (ch === ',' || ch === ')')) return j;
  }
  return text.length;
}
