/**
 * Checks a state machine definition before anything runs. Everything this runtime does not
 * interpret (JSONPath fields, `Map`, other Task resources, unknown fields) and everything
 * Step Functions itself would refuse (missing `Next`, unknown targets, `States.ALL` not alone
 * and last, an inner scope assigning an outer variable) is reported at once, each problem naming
 * the state and the field.
 *
 * @example
 * ```ts
 * const machine = parseDefinition(JSON.parse(text)); // throws InvalidDefinition listing every problem
 * ```
 */
import {
  ALLOWED_FIELDS,
  JSONPATH_FIELDS,
  STATE_TYPES,
  type StateDefinition,
  type StateMachineDefinition,
  TASK_RESOURCES,
} from './definition.ts';
import { InvalidDefinition } from './errors.ts';

const COMMON_FIELDS = ['Type', 'Comment', 'QueryLanguage'];
const RETRIER_FIELDS = [
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
];
const CATCHER_FIELDS = ['ErrorEquals', 'Next', 'Output', 'Assign', 'Comment'];
const RULE_FIELDS = ['Condition', 'Next', 'Output', 'Assign', 'Comment'];
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTemplate = (v: unknown): boolean => typeof v === 'string' && /^\{%[\s\S]*%\}$/.test(v.trim());

/** Parses (when given text) and checks a definition; throws {@link InvalidDefinition} listing every problem. */
export function parseDefinition(definition: unknown): StateMachineDefinition {
  let value = definition;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (e) {
      throw new InvalidDefinition([`the definition is not JSON: ${(e as Error).message}`]);
    }
  }
  const problems: string[] = [];
  if (!isObj(value)) throw new InvalidDefinition(['the definition must be a JSON object']);
  if (value.QueryLanguage !== 'JSONata') {
    problems.push(
      `top level: field 'QueryLanguage' must be "JSONata" (JSONPath is not supported), got ${JSON.stringify(value.QueryLanguage)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!['QueryLanguage', 'Comment', 'Version', 'StartAt', 'States', 'TimeoutSeconds'].includes(key)) {
      problems.push(`top level: field '${key}' is not supported; remove it`);
    }
  }
  if (value.TimeoutSeconds !== undefined && !isPositiveInt(value.TimeoutSeconds)) {
    problems.push(`top level: field 'TimeoutSeconds' must be a positive integer`);
  }
  checkMachine(value, 'top level', new Set(), problems);
  if (problems.length > 0) throw new InvalidDefinition(problems);
  return value as unknown as StateMachineDefinition;
}

function isPositiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function checkMachine(machine: Obj, where: string, outerVars: Set<string>, problems: string[]): void {
  const states = machine.States;
  if (!isObj(states) || Object.keys(states).length === 0) {
    problems.push(`${where}: field 'States' must be a non-empty object`);
    return;
  }
  if (typeof machine.StartAt !== 'string' || !(machine.StartAt in states)) {
    problems.push(
      `${where}: field 'StartAt' must name one of its States, got ${JSON.stringify(machine.StartAt)}`,
    );
  }
  const names = new Set(Object.keys(states));
  const scopeVars = new Set<string>();
  for (const state of Object.values(states)) {
    if (!isObj(state)) continue;
    for (const key of assignedNames(state)) scopeVars.add(key);
  }
  for (const name of scopeVars) {
    if (outerVars.has(name)) {
      problems.push(
        `${where}: variable '${name}' is assigned in an inner scope but already belongs to an outer scope; a Parallel branch may read outer variables but not assign them — return values through Output and assign them after the Parallel`,
      );
    }
  }
  const visible = new Set([...outerVars, ...scopeVars]);
  for (const [name, state] of Object.entries(states)) {
    const at = `state '${name}'`;
    if (name.length === 0 || [...name].length > 80)
      problems.push(`${at}: state names must be 1 to 80 characters`);
    if (!isObj(state)) {
      problems.push(`${at}: must be an object`);
      continue;
    }
    checkState(name, state, at, names, visible, problems);
  }
}

function assignedNames(state: Obj): string[] {
  const keys: string[] = [];
  const add = (a: unknown) => {
    if (isObj(a)) keys.push(...Object.keys(a));
  };
  add(state.Assign);
  for (const list of [state.Choices, state.Catch])
    if (Array.isArray(list)) for (const r of list) if (isObj(r)) add(r.Assign);
  return keys;
}

function checkState(
  _name: string,
  state: Obj,
  at: string,
  names: Set<string>,
  visible: Set<string>,
  problems: string[],
): void {
  const type = state.Type;
  if (type === 'Map') {
    problems.push(`${at}: field 'Type': Map states are not supported by @pipewright/states`);
    return;
  }
  if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
    problems.push(
      `${at}: field 'Type' must be one of ${STATE_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
    );
    return;
  }
  const allowed = ALLOWED_FIELDS[type as StateDefinition['Type']];
  for (const key of Object.keys(state)) {
    if (COMMON_FIELDS.includes(key) || allowed.includes(key)) continue;
    const hint = JSONPATH_FIELDS[key];
    problems.push(
      hint
        ? `${at}: field '${key}' belongs to JSONPath, which is not supported; use ${hint}`
        : `${at}: field '${key}' is not supported on a ${type} state; remove it`,
    );
  }
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONata') {
    problems.push(`${at}: field 'QueryLanguage' must be "JSONata"`);
  }
  const checkNext = (field: string, target: unknown) => {
    if (typeof target !== 'string' || !names.has(target)) {
      problems.push(
        `${at}: field '${field}' must name a state of the same scope, got ${JSON.stringify(target)}`,
      );
    }
  };
  if (allowed.includes('Next')) {
    if (state.End === true && state.Next !== undefined)
      problems.push(`${at}: fields 'Next' and 'End' exclude each other`);
    else if (state.End !== undefined && state.End !== true) problems.push(`${at}: field 'End' must be true`);
    else if (state.End === undefined) checkNext('Next', state.Next);
  }
  checkAssign(state.Assign, `${at}: field 'Assign'`, problems);
  if (type === 'Task') checkTask(state, at, problems);
  if (type === 'Task' || type === 'Parallel') {
    checkErrorList(state.Retry, RETRIER_FIELDS, `${at}: field 'Retry'`, problems, (r, w) =>
      checkRetrier(r, w, problems),
    );
    checkErrorList(state.Catch, CATCHER_FIELDS, `${at}: field 'Catch'`, problems, (c, w, i) => {
      checkNext(`Catch[${i}].Next`, c.Next);
      checkAssign(c.Assign, `${w}.Assign`, problems);
    });
  }
  if (type === 'Parallel') {
    if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
      problems.push(`${at}: field 'Branches' must be a non-empty array`);
    } else {
      state.Branches.forEach((branch, i) => {
        const where = `${at} Branches[${i}]`;
        if (!isObj(branch)) {
          problems.push(`${where}: must be an object`);
          return;
        }
        for (const key of Object.keys(branch)) {
          if (!['StartAt', 'States', 'Comment'].includes(key))
            problems.push(`${where}: field '${key}' is not supported`);
        }
        checkMachine(branch, where, visible, problems);
      });
    }
  }
  if (type === 'Choice') checkChoice(state, at, checkNext, problems);
  if (type === 'Wait') {
    const has = ['Seconds', 'Timestamp'].filter((f) => state[f] !== undefined);
    if (has.length !== 1) problems.push(`${at}: exactly one of fields 'Seconds' and 'Timestamp' is required`);
    if (
      state.Seconds !== undefined &&
      !isTemplate(state.Seconds) &&
      !(isPositiveInt(state.Seconds) || state.Seconds === 0)
    ) {
      problems.push(`${at}: field 'Seconds' must be a non-negative integer or a JSONata expression`);
    }
    if (state.Timestamp !== undefined && typeof state.Timestamp !== 'string') {
      problems.push(`${at}: field 'Timestamp' must be an ISO-8601 string or a JSONata expression`);
    }
  }
  if (type === 'Fail') {
    for (const f of ['Error', 'Cause']) {
      if (state[f] !== undefined && typeof state[f] !== 'string')
        problems.push(`${at}: field '${f}' must be a string`);
    }
  }
}

function checkTask(state: Obj, at: string, problems: string[]): void {
  if (typeof state.Resource !== 'string' || !(TASK_RESOURCES as readonly string[]).includes(state.Resource)) {
    problems.push(
      `${at}: field 'Resource' ${JSON.stringify(state.Resource)} is not supported; use ${TASK_RESOURCES.join(' or ')}`,
    );
  }
  if (state.Arguments !== undefined && !isObj(state.Arguments) && !isTemplate(state.Arguments)) {
    problems.push(`${at}: field 'Arguments' must be an object or a JSONata expression`);
  }
  if (isObj(state.Arguments)) {
    for (const key of Object.keys(state.Arguments)) {
      if (
        !['FunctionName', 'Payload', 'InvocationType', 'Qualifier', 'ClientContext', 'LogType'].includes(key)
      ) {
        problems.push(`${at}: field 'Arguments.${key}' is not a Lambda Invoke parameter`);
      }
    }
    if (state.Arguments.FunctionName === undefined)
      problems.push(`${at}: field 'Arguments.FunctionName' is required`);
  }
  for (const f of ['TimeoutSeconds', 'HeartbeatSeconds']) {
    const v = state[f];
    if (v !== undefined && !isTemplate(v) && !isPositiveInt(v)) {
      problems.push(`${at}: field '${f}' must be a positive integer or a JSONata expression`);
    }
  }
  const t = state.TimeoutSeconds;
  const h = state.HeartbeatSeconds;
  if (typeof t === 'number' && typeof h === 'number' && h >= t) {
    problems.push(`${at}: field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'`);
  }
}

function checkRetrier(r: Obj, where: string, problems: string[]): void {
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

function checkErrorList(
  list: unknown,
  fields: string[],
  where: string,
  problems: string[],
  each: (item: Obj, where: string, index: number) => void,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    problems.push(`${where} must be an array`);
    return;
  }
  list.forEach((item, i) => {
    const w = `${where}[${i}]`;
    if (!isObj(item)) {
      problems.push(`${w} must be an object`);
      return;
    }
    for (const key of Object.keys(item)) {
      if (!fields.includes(key)) {
        const hint = JSONPATH_FIELDS[key];
        problems.push(hint ? `${w}.${key} belongs to JSONPath; use ${hint}` : `${w}.${key} is not supported`);
      }
    }
    const errs = item.ErrorEquals;
    if (!Array.isArray(errs) || errs.length === 0 || errs.some((e) => typeof e !== 'string')) {
      problems.push(`${w}.ErrorEquals must be a non-empty array of error names`);
    } else if (errs.includes('States.ALL') && (errs.length > 1 || i !== list.length - 1)) {
      problems.push(
        `${w}.ErrorEquals: States.ALL must appear alone and in the last ${where.endsWith("'Retry'") ? 'retrier' : 'catcher'}`,
      );
    }
    each(item, w, i);
  });
}

function checkChoice(
  state: Obj,
  at: string,
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
    for (const key of Object.keys(rule)) {
      if (!RULE_FIELDS.includes(key)) {
        problems.push(
          `${w}.${key} is not supported; JSONata Choice rules use Condition (no JSONPath comparison operators)`,
        );
      }
    }
    if (typeof rule.Condition !== 'string' && typeof rule.Condition !== 'boolean') {
      problems.push(`${w}.Condition is required (a JSONata expression or a boolean)`);
    }
    checkNext(`Choices[${i}].Next`, rule.Next);
    checkAssign(rule.Assign, `${w}.Assign`, problems);
  });
  if (state.Default !== undefined) checkNext('Default', state.Default);
}

function checkAssign(assign: unknown, where: string, problems: string[]): void {
  if (assign === undefined) return;
  if (!isObj(assign)) {
    problems.push(`${where} must be an object of variable names`);
    return;
  }
  for (const key of Object.keys(assign)) {
    if (!VARIABLE_NAME.test(key) || key === 'states') {
      problems.push(`${where}: '${key}' is not a valid variable name (letters, digits, _; not 'states')`);
    }
  }
}
