/**
 * The checks of a definition's nested parts: retriers, catchers, Choice rules (JSONata
 * `Condition` or JSONPath `Variable` rules), `Assign` blocks and JSONPath paths. Each problem is
 * pushed as one line naming the state and the field, for {@link parseDefinition} to report.
 *
 * @example
 * ```ts
 * const problems: string[] = [];
 * checkAssign({ 'bad name': 1 }, "state 'A': field 'Assign'", problems); // one problem
 * ```
 */
import { COMPARISON_OPERATORS } from './choice-rules.ts';
import { JSONPATH_FIELDS } from './definition.ts';
import { parseIntrinsic } from './intrinsic-parser.ts';
import { compilePath, isReferencePath } from './jsonpath.ts';
import type { QueryLanguage } from './query-language.ts';

/** A JSON object. */
export type Obj = Record<string, unknown>;
/** True for a JSON object (not an array, not null). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** True when the whole string is a JSONata template: it starts with `{%` and ends with `%}` (no trimming). */
export const isTemplate = (v: unknown): v is string =>
  typeof v === 'string' && v.startsWith('{%') && v.endsWith('%}') && v.length >= 4;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RETRIER_FIELDS = [
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
];
const CATCHER_FIELDS: Record<QueryLanguage, string[]> = {
  JSONata: ['ErrorEquals', 'Next', 'Output', 'Assign', 'Comment'],
  JSONPath: ['ErrorEquals', 'Next', 'ResultPath', 'Assign', 'Comment'],
};

/** Checks a retrier's numbers. */
export function checkRetrier(r: Obj, where: string, problems: string[]): void {
  const nonNeg = (f: string, int: boolean, min = 0) => {
    const v = r[f];
    if (v === undefined) return;
    if (typeof v !== 'number' || v < min || (int && !Number.isInteger(v))) {
      problems.push(`${where}.${f} must be ${int ? 'an integer' : 'a number'} ≥ ${min}`);
    }
  };
  nonNeg('IntervalSeconds', true, 1);
  nonNeg('MaxAttempts', true, 0);
  nonNeg('BackoffRate', false, 1);
  nonNeg('MaxDelaySeconds', true, 1);
  if (r.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') {
    problems.push(`${where}.JitterStrategy must be FULL or NONE`);
  }
}

/** Checks `Retry` or `Catch`: an array of objects with a non-empty `ErrorEquals`, `States.ALL` alone and last. */
export function checkErrorList(
  list: unknown,
  kind: 'Retry' | 'Catch',
  language: QueryLanguage,
  where: string,
  problems: string[],
  each: (item: Obj, where: string, index: number) => void,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    problems.push(`${where} must be an array`);
    return;
  }
  const fields = kind === 'Retry' ? RETRIER_FIELDS : CATCHER_FIELDS[language];
  list.forEach((item, i) => {
    const w = `${where}[${i}]`;
    if (!isObj(item)) {
      problems.push(`${w} must be an object`);
      return;
    }
    for (const key of Object.keys(item)) {
      if (fields.includes(key)) continue;
      const other =
        kind === 'Catch' && CATCHER_FIELDS[language === 'JSONata' ? 'JSONPath' : 'JSONata'].includes(key);
      problems.push(
        other
          ? `${w}.${key} belongs to the other query language; a ${language} catcher uses ${fields.slice(1, 4).join(', ')}`
          : `${w}.${key} is not supported`,
      );
    }
    const errs = item.ErrorEquals;
    if (!Array.isArray(errs) || errs.length === 0 || errs.some((e) => typeof e !== 'string')) {
      problems.push(`${w}.ErrorEquals must be a non-empty array of error names`);
    } else if (errs.includes('States.ALL') && (errs.length > 1 || i !== list.length - 1)) {
      problems.push(
        `${w}.ErrorEquals: States.ALL must appear alone and in the last ${kind === 'Retry' ? 'retrier' : 'catcher'}`,
      );
    }
    if (kind === 'Catch' && item.ResultPath !== undefined && item.ResultPath !== null)
      checkReferencePath(item.ResultPath, `${w}.ResultPath`, problems);
    each(item, w, i);
  });
}

/** Checks the rules of a Choice state in its query language. */
export function checkChoices(
  state: Obj,
  at: string,
  language: QueryLanguage,
  checkNext: (f: string, t: unknown) => void,
  problems: string[],
): void {
  if (!Array.isArray(state.Choices) || state.Choices.length === 0) {
    problems.push(`${at}: field 'Choices' must be a non-empty array`);
    return;
  }
  state.Choices.forEach((rule, i) => {
    const w = `${at}: field 'Choices[${i}]'`;
    if (!isObj(rule)) {
      problems.push(`${w} must be an object`);
      return;
    }
    if (language === 'JSONata') checkJsonataRule(rule, w, problems);
    else checkPathRule(rule, w, problems, true);
    checkNext(`Choices[${i}].Next`, rule.Next);
    checkAssign(rule.Assign, `${w}.Assign`, problems);
  });
  if (state.Default !== undefined) checkNext('Default', state.Default);
}

function checkJsonataRule(rule: Obj, w: string, problems: string[]): void {
  for (const key of Object.keys(rule)) {
    if (!['Condition', 'Next', 'Output', 'Assign', 'Comment'].includes(key)) {
      problems.push(
        `${w}.${key} is not supported; JSONata Choice rules use Condition (JSONPath comparison operators belong to JSONPath states)`,
      );
    }
  }
  if (typeof rule.Condition !== 'string' && typeof rule.Condition !== 'boolean') {
    problems.push(`${w}.Condition is required (a JSONata expression or a boolean)`);
  }
}

function checkPathRule(rule: Obj, w: string, problems: string[], top: boolean): void {
  const allowed = top ? ['Next', 'Assign', 'Comment'] : ['Comment'];
  const combinators = ['And', 'Or', 'Not'].filter((k) => rule[k] !== undefined);
  const operators = Object.keys(rule).filter((k) => COMPARISON_OPERATORS.includes(k));
  for (const key of Object.keys(rule)) {
    if (key === 'Condition')
      problems.push(
        `${w}.Condition belongs to JSONata; a JSONPath rule uses Variable with a comparison operator`,
      );
    else if (
      !allowed.includes(key) &&
      key !== 'Variable' &&
      !combinators.includes(key) &&
      !operators.includes(key)
    )
      problems.push(`${w}.${key} is not supported`);
  }
  if (!top && rule.Next !== undefined) problems.push(`${w}.Next may only appear on a top-level rule`);
  if (
    combinators.length + (rule.Variable !== undefined ? 1 : 0) !== 1 ||
    combinators.length + operators.length !== 1
  ) {
    problems.push(
      `${w} must have either Variable with exactly one comparison operator, or one of And, Or, Not`,
    );
    return;
  }
  if (rule.Variable !== undefined) {
    checkPath(rule.Variable, `${w}.Variable`, problems);
    const op = operators[0] as string;
    const value = rule[op];
    if (op.endsWith('Path')) checkPath(value, `${w}.${op}`, problems);
    else if (op.startsWith('Is') && typeof value !== 'boolean')
      problems.push(`${w}.${op} must be true or false`);
    else if (/^(String|Timestamp)/.test(op) && typeof value !== 'string')
      problems.push(`${w}.${op} must be a string`);
    else if (op.startsWith('Numeric') && typeof value !== 'number')
      problems.push(`${w}.${op} must be a number`);
    else if (op.startsWith('Boolean') && typeof value !== 'boolean')
      problems.push(`${w}.${op} must be true or false`);
  }
  for (const key of ['And', 'Or'] as const) {
    if (rule[key] === undefined) continue;
    const list = rule[key];
    if (!Array.isArray(list) || list.length === 0)
      problems.push(`${w}.${key} must be a non-empty array of rules`);
    else
      list.forEach((r, i) => {
        if (isObj(r)) checkPathRule(r, `${w}.${key}[${i}]`, problems, false);
        else problems.push(`${w}.${key}[${i}] must be an object`);
      });
  }
  if (rule.Not !== undefined) {
    if (isObj(rule.Not)) checkPathRule(rule.Not, `${w}.Not`, problems, false);
    else problems.push(`${w}.Not must be a rule object`);
  }
}

/** Checks an `Assign` block's variable names. */
export function checkAssign(assign: unknown, where: string, problems: string[]): void {
  if (assign === undefined) return;
  if (!isObj(assign)) {
    problems.push(`${where} must be an object of variable names`);
    return;
  }
  for (const raw of Object.keys(assign)) {
    const key = raw.endsWith('.$') ? raw.slice(0, -2) : raw;
    if (!VARIABLE_NAME.test(key) || key === 'states') {
      problems.push(`${where}: '${key}' is not a valid variable name (letters, digits, _; not 'states')`);
    }
  }
}

/** Checks that a value is a JSONPath (`$…`, `$$…`, `$var…`). */
export function checkPath(value: unknown, where: string, problems: string[]): void {
  try {
    if (typeof value !== 'string') throw new Error('not a string');
    compilePath(value);
  } catch (e) {
    problems.push(
      `${where} must be a JSONPath ($, $$ or $variable), got ${JSON.stringify(value)} (${(e as Error).message})`,
    );
  }
}

/** Checks that a value is a Reference Path (ResultPath). */
export function checkReferencePath(value: unknown, where: string, problems: string[]): void {
  if (typeof value !== 'string' || !isReferencePath(value)) {
    problems.push(
      `${where} must be a Reference Path such as $.result (no wildcards, filters or $$), got ${JSON.stringify(value)}`,
    );
  }
}

/** Checks the `.$` keys of a JSONPath payload template (paths and intrinsic calls). */
export function checkPayloadTemplate(template: unknown, where: string, problems: string[]): void {
  if (Array.isArray(template)) {
    for (const [i, v] of template.entries()) checkPayloadTemplate(v, `${where}[${i}]`, problems);
  }
  if (!isObj(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith('.$')) {
      checkPayloadTemplate(value, `${where}.${key}`, problems);
      continue;
    }
    if (typeof value === 'string' && value.startsWith('States.')) {
      try {
        parseIntrinsic(value);
      } catch (e) {
        problems.push(`${where}.${key}: ${(e as Error).message}`);
      }
    } else checkPath(value, `${where}.${key}`, problems);
  }
}

/** The JSONata field a JSONPath-only field stands for (for hints). */
export function jsonataHint(field: string): string | undefined {
  return JSONPATH_FIELDS[field];
}
