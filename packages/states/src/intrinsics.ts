/**
 * The intrinsic functions of JSONPath states (`States.Format`, `States.Array…`, `States.Hash`,
 * `States.MathRandom`, …), as the Step Functions developer guide ("Intrinsic functions for
 * JSONPath states") defines them. A bad argument raises `States.IntrinsicFailure`.
 *
 * @example
 * ```ts
 * evaluateIntrinsic("States.Format('Hello, {}!', $.name)", (p) => ({ found: true, value: 'Ada' }), env);
 * // 'Hello, Ada!'
 * ```
 */
import { createHash } from 'node:crypto';
import { StatesError } from './errors.ts';
import { type IntrinsicArg, type IntrinsicCall, parseIntrinsic } from './intrinsic-parser.ts';
import { javaRandomInt } from './java-random.ts';
import type { Selection } from './jsonpath.ts';
import { deepEqual } from './jsonpath-filter.ts';

/** Effects the functions need. */
export interface IntrinsicEnvironment {
  random(): number;
  uuid(): string;
}

type Fn = (args: unknown[], call: IntrinsicCall, env: IntrinsicEnvironment) => unknown;

const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
const MAX_TEXT = 10_000;

/** Raises States.IntrinsicFailure for a call. */
export function intrinsicFailure(call: string, why: string): StatesError {
  return new StatesError('States.IntrinsicFailure', `Invalid arguments in ${call}: ${why}`);
}

const arr = (v: unknown, name: string, what: string): unknown[] => {
  if (!Array.isArray(v)) throw intrinsicFailure(name, `${what} must be an array`);
  return v;
};
const int = (v: unknown, name: string, what: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw intrinsicFailure(name, `${what} must be an integer`);
  return v;
};
const str = (v: unknown, name: string, what: string, max = Number.POSITIVE_INFINITY): string => {
  if (typeof v !== 'string') throw intrinsicFailure(name, `${what} must be a string`);
  if (v.length > max) throw intrinsicFailure(name, `${what} must be at most ${max} characters`);
  return v;
};
const count = (args: unknown[], name: string, min: number, max = min) => {
  if (args.length < min || args.length > max)
    throw intrinsicFailure(
      name,
      `expects ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`,
    );
};

const FUNCTIONS: Record<string, Fn> = {
  'States.Format': (args, call) => format(args, call),
  'States.StringToJson': (args, call) => {
    count(args, call.name, 1);
    try {
      return JSON.parse(str(args[0], call.name, 'the argument'));
    } catch (e) {
      if (e instanceof StatesError) throw e;
      throw intrinsicFailure(call.name, 'the argument is not JSON text');
    }
  },
  'States.JsonToString': (args, call) => {
    count(args, call.name, 1);
    return JSON.stringify(args[0]);
  },
  'States.Array': (args) => args,
  'States.ArrayPartition': (args, { name }) => {
    count(args, name, 2);
    const a = arr(args[0], name, 'the first argument');
    const size = int(args[1], name, 'the chunk size');
    if (size <= 0) throw intrinsicFailure(name, 'the chunk size must be greater than 0');
    const out: unknown[][] = [];
    for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
    return out;
  },
  'States.ArrayContains': (args, { name }) => {
    count(args, name, 2);
    return arr(args[0], name, 'the first argument').some((v) => deepEqual(v, args[1]));
  },
  'States.ArrayRange': (args, { name }) => {
    count(args, name, 3);
    const [start, end, step] = args.map((a, i) => int(a, name, `argument ${i + 1}`)) as [
      number,
      number,
      number,
    ];
    if (step === 0) throw intrinsicFailure(name, 'the step must not be 0');
    const out: number[] = [];
    for (let n = start; step > 0 ? n <= end : n >= end; n += step) {
      out.push(n);
      if (out.length > 1000) throw intrinsicFailure(name, 'the range may hold at most 1000 items');
    }
    return out;
  },
  'States.ArrayGetItem': (args, { name }) => {
    count(args, name, 2);
    const a = arr(args[0], name, 'the first argument');
    const i = int(args[1], name, 'the index');
    if (i < 0 || i >= a.length)
      throw intrinsicFailure(name, `the index ${i} is out of bounds (length ${a.length})`);
    return a[i];
  },
  'States.ArrayLength': (args, { name }) => {
    count(args, name, 1);
    return arr(args[0], name, 'the argument').length;
  },
  'States.ArrayUnique': (args, { name }) => {
    count(args, name, 1);
    const out: unknown[] = [];
    for (const v of arr(args[0], name, 'the argument')) if (!out.some((o) => deepEqual(o, v))) out.push(v);
    return out;
  },
  'States.Base64Encode': (args, { name }) => {
    count(args, name, 1);
    return Buffer.from(str(args[0], name, 'the argument', MAX_TEXT), 'utf8').toString('base64');
  },
  'States.Base64Decode': (args, { name }) => {
    count(args, name, 1);
    const text = str(args[0], name, 'the argument', MAX_TEXT);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1)
      throw intrinsicFailure(name, 'the argument is not base64');
    return Buffer.from(text, 'base64').toString('utf8');
  },
  'States.Hash': (args, { name }) => {
    count(args, name, 2);
    const algorithm = HASHES[str(args[1], name, 'the algorithm')];
    if (!algorithm)
      throw intrinsicFailure(name, `the algorithm must be one of ${Object.keys(HASHES).join(', ')}`);
    const data = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
    if (data === undefined || data.length > MAX_TEXT)
      throw intrinsicFailure(name, `the data must be at most ${MAX_TEXT} characters`);
    return createHash(algorithm).update(data).digest('hex');
  },
  'States.JsonMerge': (args, { name }) => {
    count(args, name, 3);
    const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObj(args[0]) || !isObj(args[1]))
      throw intrinsicFailure(name, 'the first two arguments must be JSON objects');
    if (args[2] !== false)
      throw intrinsicFailure(name, 'only the shallow merge is supported: the third argument must be false');
    return { ...(args[0] as object), ...(args[1] as object) };
  },
  'States.MathRandom': (args, { name }, env) => {
    count(args, name, 2, 3);
    const start = int(args[0], name, 'the start');
    const end = int(args[1], name, 'the end');
    if (end <= start) throw intrinsicFailure(name, 'the end must be greater than the start');
    if (args.length === 3) return start + javaRandomInt(int(args[2], name, 'the seed'), end - start);
    return start + Math.floor(env.random() * (end - start));
  },
  'States.MathAdd': (args, { name }) => {
    count(args, name, 2);
    return int(args[0], name, 'the first argument') + int(args[1], name, 'the second argument');
  },
  'States.StringSplit': (args, { name }) => {
    count(args, name, 2);
    const text = str(args[0], name, 'the first argument');
    const delimiters = new Set(str(args[1], name, 'the delimiter'));
    const out: string[] = [];
    let token = '';
    for (const ch of text) {
      if (delimiters.has(ch)) {
        if (token !== '') out.push(token);
        token = '';
      } else token += ch;
    }
    if (token !== '') out.push(token);
    return out;
  },
  'States.UUID': (args, { name }, env) => {
    count(args, name, 0);
    return env.uuid();
  },
};

function format(args: unknown[], call: IntrinsicCall): string {
  const first = call.args[0];
  if (!first) throw intrinsicFailure(call.name, 'the template string is required');
  const template =
    first.kind === 'literal' && first.raw !== undefined ? first.raw : str(args[0], call.name, 'the template');
  const values = args.slice(1);
  let used = 0;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '\\' && (template[i + 1] === '{' || template[i + 1] === '}' || template[i + 1] === '\\')) {
      out += template[++i];
    } else if (ch === '{' && template[i + 1] === '}') {
      if (used >= values.length) throw intrinsicFailure(call.name, 'the template has more {} than arguments');
      const v = values[used++];
      if (typeof v === 'object' && v !== null)
        throw intrinsicFailure(call.name, 'arguments must be strings, numbers, booleans or null');
      out += typeof v === 'string' ? v : JSON.stringify(v);
      i++;
    } else out += ch;
  }
  if (used !== values.length) throw intrinsicFailure(call.name, 'the template has fewer {} than arguments');
  return out;
}

/**
 * Evaluates an intrinsic call. `select` resolves a path argument (`$…`, `$$…`, `$var…`);
 * a path that matches nothing is a failure.
 */
export function evaluateIntrinsic(
  text: string,
  select: (path: string) => Selection,
  env: IntrinsicEnvironment,
): unknown {
  let call: IntrinsicCall;
  try {
    call = parseIntrinsic(text);
  } catch (e) {
    throw new StatesError(
      'States.IntrinsicFailure',
      `The intrinsic function ${text} is not valid: ${(e as Error).message}`,
    );
  }
  return run(call, select, env);
}

function run(call: IntrinsicCall, select: (path: string) => Selection, env: IntrinsicEnvironment): unknown {
  const fn = FUNCTIONS[call.name];
  if (!fn) throw intrinsicFailure(call.name, `there is no intrinsic function ${call.name}`);
  const args = call.args.map((a: IntrinsicArg) => {
    if (a.kind === 'literal') return a.value;
    if (a.kind === 'call') return run(a.call, select, env);
    const selected = select(a.path);
    if (!selected.found) throw intrinsicFailure(call.name, `the path ${a.path} matches nothing`);
    return selected.value;
  });
  return fn(args, call, env);
}
