/**
 * The data flow of a JSONPath state, as "Processing input and output in Step Functions"
 * describes it: `InputPath` → `Parameters` (payload template) → the work →
 * `ResultSelector` → `ResultPath` (merged into the raw input) → `OutputPath`. Payload templates
 * evaluate keys ending in `.$` as a path (`$…` the input, `$$…` the context object, `$name…` a
 * variable) or an intrinsic function.
 *
 * Failures are named as Step Functions names them: a missing `InputPath`/`OutputPath` is
 * `States.Runtime`, a missing `.$` path `States.ParameterPathFailure`, a `ResultPath` that
 * cannot be applied `States.ResultPathMatchFailure`, a bad intrinsic `States.IntrinsicFailure`.
 *
 * @example
 * ```ts
 * const scope = { input: { a: 1 }, context: {}, variables: {} };
 * applyTemplate({ 'x.$': '$.a', y: 2 }, scope, env, 'Parameters', 'S'); // { x: 1, y: 2 }
 * ```
 */
import { StatesError } from './errors.ts';
import { looksLikeIntrinsic } from './intrinsic-parser.ts';
import { evaluateIntrinsic, type IntrinsicEnvironment } from './intrinsics.ts';
import { compilePath, PathSyntaxError, type Selection, selectPath, writePath } from './jsonpath.ts';

/** What `$`, `$$` and `$name` refer to. */
export interface PathScope {
  input: unknown;
  context: unknown;
  variables: Readonly<Record<string, unknown>>;
}

/** Resolves any path (`$…`, `$$…`, `$var…`) in a scope. */
export function select(text: string, scope: PathScope): Selection {
  let path: ReturnType<typeof compilePath>;
  try {
    path = compilePath(text);
  } catch (e) {
    if (e instanceof PathSyntaxError)
      throw new StatesError('States.Runtime', `Invalid path '${text}': ${e.message}`);
    throw e;
  }
  if (path.root === 'input') return selectPath(path, scope.input);
  if (path.root === 'context') return selectPath(path, scope.context);
  const name = path.variable as string;
  if (!Object.hasOwn(scope.variables, name)) return { found: false };
  return selectPath(path, scope.variables[name]);
}

const show = (v: unknown) => JSON.stringify(v ?? null);

/** Reads a path that must match (`SecondsPath`, `ErrorPath`, `ItemsPath`, …); nothing matched is States.Runtime. */
export function readPath(path: string, scope: PathScope, stateName: string, field: string): unknown {
  const selected = select(path, scope);
  if (!selected.found) {
    throw new StatesError(
      'States.Runtime',
      `An error occurred while executing the state '${stateName}'. Invalid path '${path}' in field '${field}': No results`,
    );
  }
  return selected.value;
}

/** Evaluates a payload template (Parameters, ResultSelector, ItemSelector, Assign, Arguments of JSONPath states). */
export function applyTemplate(
  template: unknown,
  scope: PathScope,
  env: IntrinsicEnvironment,
  field: string,
  stateName: string,
): unknown {
  if (Array.isArray(template))
    return template.map((v, i) => applyTemplate(v, scope, env, `${field}[${i}]`, stateName));
  if (typeof template !== 'object' || template === null) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith('.$')) {
      out[key] = applyTemplate(value, scope, env, `${field}.${key}`, stateName);
      continue;
    }
    if (typeof value !== 'string') {
      throw new StatesError(
        'States.Runtime',
        `The value of field '${key}' in ${field} of state '${stateName}' must be a path or an intrinsic function`,
      );
    }
    out[key.slice(0, -2)] = dynamicValue(value, key, scope, env, stateName);
  }
  return out;
}

/** Evaluates one `.$` value: an intrinsic call or a path. */
export function dynamicValue(
  value: string,
  key: string,
  scope: PathScope,
  env: IntrinsicEnvironment,
  stateName: string,
): unknown {
  if (looksLikeIntrinsic(value)) return evaluateIntrinsic(value, (p) => select(p, scope), env);
  const selected = select(value, scope);
  if (!selected.found) {
    const where = value.startsWith('$$')
      ? 'the context object'
      : /^\$[A-Za-z_]/.test(value)
        ? 'the variables'
        : 'the input';
    const doc = value.startsWith('$$') ? scope.context : scope.input;
    throw new StatesError(
      'States.ParameterPathFailure',
      `An error occurred while executing the state '${stateName}'. The JSONPath '${value}' specified for the field '${key}' could not be found in ${where === 'the input' ? `the input '${show(doc)}'` : where}`,
    );
  }
  return selected.value;
}

/** `InputPath` / `OutputPath`: undefined keeps the value, null gives `{}`, a path selects (missing: States.Runtime). */
export function applyPath(
  path: string | null | undefined,
  value: unknown,
  scope: PathScope,
  stateName: string,
): unknown {
  if (path === undefined) return value;
  if (path === null) return {};
  const selected = select(path, { ...scope, input: value });
  if (!selected.found) {
    throw new StatesError(
      'States.Runtime',
      `An error occurred while executing the state '${stateName}'. Invalid path '${path}' : No results for path: ${bracketed(path)}`,
    );
  }
  return selected.value;
}

/** `ResultPath`: undefined replaces the input with the result, null keeps the input, a path writes the result into it. */
export function applyResultPath(
  path: string | null | undefined,
  rawInput: unknown,
  result: unknown,
  stateName: string,
): unknown {
  if (path === undefined) return result;
  if (path === null) return rawInput;
  const written = writePath(rawInput, compilePath(path), result);
  if (!written) {
    throw new StatesError(
      'States.ResultPathMatchFailure',
      `An error occurred while executing the state '${stateName}'. Unable to apply ResultPath "${path}" to input "${show(rawInput)}"`,
    );
  }
  return written.value;
}

/** The normalized form Jayway prints in its messages: `$['a']['b'][0]`. */
function bracketed(text: string): string {
  try {
    const path = compilePath(text);
    const head = path.root === 'context' ? '$$' : path.root === 'variable' ? `$${path.variable}` : '$';
    return (
      head +
      path.steps
        .map((s) =>
          s.kind === 'name'
            ? `[${s.names.map((n) => `'${n}'`).join(',')}]`
            : s.kind === 'index'
              ? `[${s.indexes.join(',')}]`
              : '[*]',
        )
        .join('')
    );
  } catch {
    return text;
  }
}
