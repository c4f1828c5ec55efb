/**
 * CloudFormation intrinsic functions (`!Ref`, `!GetAtt`, `{"Fn::Sub": …}`, …) as they appear in
 * a loaded document. Pipewright does not evaluate them: each becomes an {@link Intrinsic}
 * placeholder whose `text` is the short form, e.g. `!GetAtt PipelineRole.Arn`.
 *
 * @example
 * ```ts
 * new Intrinsic('GetAtt', ['PipelineRole', 'Arn']).text; // '!GetAtt PipelineRole.Arn'
 * ```
 */

/** Short-form YAML tags of CloudFormation intrinsic functions, registered so YAML parses them. */
export const INTRINSIC_TAGS = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'FindInMap',
  'ImportValue',
  'Base64',
  'GetAZs',
  'Cidr',
  'And',
  'Or',
  'Not',
  'Condition',
  'Transform',
  'Length',
  'ToJsonString',
] as const;

/** An unresolved CloudFormation intrinsic function call, kept as its short-form text. */
export class Intrinsic {
  /** Function name without `Fn::` / `!`, e.g. `GetAtt`. */
  readonly fn: string;
  /** Its argument as plain data (nested intrinsics are {@link Intrinsic}s). */
  readonly argument: unknown;
  /** Short-form text used as the placeholder value, e.g. `!Ref ArtifactBucket`. */
  readonly text: string;

  constructor(fn: string, argument: unknown) {
    this.fn = fn;
    this.argument = argument;
    this.text = renderIntrinsic(fn, argument);
  }
}

const PLAIN = /^[A-Za-z0-9_.:/@$-]+$/;

function renderValue(value: unknown): string {
  if (value instanceof Intrinsic) return value.text;
  if (typeof value === 'string') return PLAIN.test(value) ? value : `'${value.replaceAll("'", "''")}'`;
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${renderValue(k)}: ${renderValue(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/** Renders an intrinsic call in YAML short form: `!Ref X`, `!GetAtt A.B`, `!Join [':', [a, b]]`. */
export function renderIntrinsic(fn: string, argument: unknown): string {
  if (
    fn === 'GetAtt' &&
    Array.isArray(argument) &&
    argument.length === 2 &&
    argument.every((a) => typeof a === 'string')
  ) {
    return `!GetAtt ${argument.join('.')}`;
  }
  if (typeof argument === 'string') return `!${fn} ${argument}`;
  return `!${fn} ${renderValue(argument)}`;
}

/** The function name of a JSON long-form intrinsic key (`Ref` → `Ref`, `Fn::Sub` → `Sub`), or undefined. */
export function longFormIntrinsicName(key: string): string | undefined {
  if (key === 'Ref') return 'Ref';
  if (key.startsWith('Fn::') && key.length > 4) return key.slice(4);
  return undefined;
}

/**
 * Replaces JSON long-form intrinsics (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`) in plain
 * data by {@link Intrinsic}s. Only single-key maps whose key is `Ref` or `Fn::…` qualify.
 */
export function convertLongFormIntrinsics(value: unknown): unknown {
  if (value instanceof Intrinsic) return value;
  if (Array.isArray(value)) return value.map(convertLongFormIntrinsics);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first) {
      const fn = longFormIntrinsicName(first[0]);
      if (fn !== undefined) return new Intrinsic(fn, convertLongFormIntrinsics(first[1]));
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) setOwn(out, k, convertLongFormIntrinsics(v));
    return out;
  }
  return value;
}

/** Sets an own enumerable property, safely even for keys like `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
