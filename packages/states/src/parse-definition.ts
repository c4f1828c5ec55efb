/**
 * Checks a state machine definition before anything runs, as Step Functions validates it:
 * every state's query language (its own `QueryLanguage`, else the machine's, else JSONPath),
 * fields that belong to the other query language, unknown fields and resources, missing `Next`,
 * unknown targets, `States.ALL` not alone and last, malformed paths and intrinsic functions, and
 * an inner scope assigning an outer variable. Every problem is reported at once, each naming the
 * state and the field.
 *
 * @example
 * ```ts
 * const machine = parseDefinition(JSON.parse(text)); // throws InvalidDefinition listing every problem
 * ```
 */

import {
  FIELDS,
  JSONATA_FIELDS,
  STATE_TYPES,
  type StateMachineDefinition,
  type StateType,
} from './definition.ts';
import {
  checkAssign,
  checkChoices,
  checkErrorList,
  checkPath,
  checkPayloadTemplate,
  checkReferencePath,
  checkRetrier,
  isObj,
  isTemplate,
  jsonataHint,
  type Obj,
} from './definition-checks.ts';
import { InvalidDefinition } from './errors.ts';
import { checkMap } from './map-definition.ts';
import type { QueryLanguage } from './query-language.ts';
import { parseResource } from './resources.ts';

const COMMON_FIELDS = ['Type', 'Comment', 'QueryLanguage'];
const TOP_FIELDS = ['QueryLanguage', 'Comment', 'Version', 'StartAt', 'States', 'TimeoutSeconds'];

/** What the checks of one scope need. */
export interface Scope {
  /** The machine's query language (nested states inherit it). */
  language: QueryLanguage;
  /** Variables assigned in the enclosing scopes. */
  outerVars: Set<string>;
  problems: string[];
}

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
  const top = value.QueryLanguage;
  if (top !== undefined && top !== 'JSONata' && top !== 'JSONPath') {
    problems.push(
      `top level: field 'QueryLanguage' must be "JSONata" or "JSONPath" (the default), got ${JSON.stringify(top)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!TOP_FIELDS.includes(key)) problems.push(`top level: field '${key}' is not supported; remove it`);
  }
  if (value.TimeoutSeconds !== undefined && !isPositiveInt(value.TimeoutSeconds)) {
    problems.push(`top level: field 'TimeoutSeconds' must be a positive integer`);
  }
  const language: QueryLanguage = top === 'JSONata' ? 'JSONata' : 'JSONPath';
  checkMachine(value, 'top level', { language, outerVars: new Set(), problems });
  if (problems.length > 0) throw new InvalidDefinition(problems);
  return value as unknown as StateMachineDefinition;
}

/** True for an integer > 0. */
export function isPositiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Checks a machine, a Parallel branch or a Map's item processor. */
export function checkMachine(machine: Obj, where: string, scope: Scope): void {
  const { problems } = scope;
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
  for (const state of Object.values(states))
    if (isObj(state)) for (const key of assignedNames(state)) scopeVars.add(key);
  for (const name of scopeVars) {
    if (scope.outerVars.has(name)) {
      problems.push(
        `${where}: variable '${name}' is assigned in an inner scope but already belongs to an outer scope; a Parallel branch or Map iteration may read outer variables but not assign them — return values through its output and assign them after the state`,
      );
    }
  }
  const inner: Scope = { ...scope, outerVars: new Set([...scope.outerVars, ...scopeVars]) };
  for (const [name, state] of Object.entries(states)) {
    const at = `state '${name}'`;
    if (name.length === 0 || [...name].length > 80)
      problems.push(`${at}: state names must be 1 to 80 characters`);
    if (!isObj(state)) {
      problems.push(`${at}: must be an object`);
      continue;
    }
    checkState(state, at, names, inner);
  }
}

function assignedNames(state: Obj): string[] {
  const keys: string[] = [];
  const add = (a: unknown) => {
    if (isObj(a)) keys.push(...Object.keys(a).map((k) => (k.endsWith('.$') ? k.slice(0, -2) : k)));
  };
  add(state.Assign);
  for (const list of [state.Choices, state.Catch])
    if (Array.isArray(list)) for (const r of list) if (isObj(r)) add(r.Assign);
  return keys;
}

function checkState(state: Obj, at: string, names: Set<string>, scope: Scope): void {
  const { problems } = scope;
  const type = state.Type;
  if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
    problems.push(
      `${at}: field 'Type' must be one of ${STATE_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
    );
    return;
  }
  const own = state.QueryLanguage;
  if (own !== undefined && own !== 'JSONata' && own !== 'JSONPath')
    problems.push(`${at}: field 'QueryLanguage' must be "JSONata" or "JSONPath"`);
  if (own === 'JSONPath' && scope.language === 'JSONata') {
    problems.push(
      `${at}: field 'QueryLanguage' cannot be "JSONPath" in a state machine whose top-level QueryLanguage is "JSONata"; remove it or set the top level to JSONPath`,
    );
  }
  const language: QueryLanguage = own === 'JSONata' || own === 'JSONPath' ? own : scope.language;
  const allowed = FIELDS[language][type as StateType];
  for (const key of Object.keys(state)) {
    if (COMMON_FIELDS.includes(key) || allowed.includes(key)) continue;
    const hint = language === 'JSONata' ? jsonataHint(key) : JSONATA_FIELDS[key];
    problems.push(
      hint
        ? `${at}: field '${key}' belongs to ${language === 'JSONata' ? 'JSONPath' : 'JSONata'}, which a ${language} state may not use; use ${hint}${language === 'JSONPath' ? ', or set "QueryLanguage": "JSONata" on the state' : ''}`
        : `${at}: field '${key}' is not supported on a ${type} state; remove it`,
    );
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
  if (language === 'JSONPath') checkJsonPathFields(state, at, problems);
  if (type === 'Task') checkTask(state, at, language, problems);
  if (type === 'Task' || type === 'Parallel' || type === 'Map') {
    checkErrorList(state.Retry, 'Retry', language, `${at}: field 'Retry'`, problems, (r, w) =>
      checkRetrier(r, w, problems),
    );
    checkErrorList(state.Catch, 'Catch', language, `${at}: field 'Catch'`, problems, (c, w, i) => {
      checkNext(`Catch[${i}].Next`, c.Next);
      checkAssign(c.Assign, `${w}.Assign`, problems);
    });
  }
  if (type === 'Parallel') checkBranches(state, at, scope);
  if (type === 'Map') checkMap(state, at, language, scope);
  if (type === 'Choice') checkChoices(state, at, language, checkNext, problems);
  if (type === 'Wait') checkWait(state, at, problems);
  if (type === 'Fail') {
    for (const f of ['Error', 'Cause'])
      if (state[f] !== undefined && typeof state[f] !== 'string')
        problems.push(`${at}: field '${f}' must be a string`);
    if (state.Error !== undefined && state.ErrorPath !== undefined)
      problems.push(`${at}: fields 'Error' and 'ErrorPath' exclude each other`);
    if (state.Cause !== undefined && state.CausePath !== undefined)
      problems.push(`${at}: fields 'Cause' and 'CausePath' exclude each other`);
  }
}

function checkJsonPathFields(state: Obj, at: string, problems: string[]): void {
  for (const f of ['InputPath', 'OutputPath'])
    if (state[f] !== undefined && state[f] !== null) checkPath(state[f], `${at}: field '${f}'`, problems);
  if (state.ResultPath !== undefined && state.ResultPath !== null)
    checkReferencePath(state.ResultPath, `${at}: field 'ResultPath'`, problems);
  for (const f of ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign'])
    checkPayloadTemplate(state[f], `${at}: field '${f}'`, problems);
  for (const f of [
    'SecondsPath',
    'TimestampPath',
    'TimeoutSecondsPath',
    'HeartbeatSecondsPath',
    'ItemsPath',
    'MaxConcurrencyPath',
    'ToleratedFailureCountPath',
    'ToleratedFailurePercentagePath',
  ]) {
    if (state[f] !== undefined) checkPath(state[f], `${at}: field '${f}'`, problems);
  }
  for (const f of ['ErrorPath', 'CausePath']) {
    const v = state[f];
    if (v !== undefined && !(typeof v === 'string' && v.startsWith('States.')))
      checkPath(v, `${at}: field '${f}'`, problems);
  }
  for (const f of ['ResultSelector', 'Parameters']) {
    if (state[f] !== undefined && !isObj(state[f]))
      problems.push(`${at}: field '${f}' must be an object (a payload template)`);
  }
}

function checkBranches(state: Obj, at: string, scope: Scope): void {
  if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
    scope.problems.push(`${at}: field 'Branches' must be a non-empty array`);
    return;
  }
  state.Branches.forEach((branch, i) => {
    const where = `${at} Branches[${i}]`;
    if (!isObj(branch)) {
      scope.problems.push(`${where}: must be an object`);
      return;
    }
    for (const key of Object.keys(branch)) {
      if (!['StartAt', 'States', 'Comment'].includes(key))
        scope.problems.push(`${where}: field '${key}' is not supported`);
    }
    checkMachine(branch, where, scope);
  });
}

function checkWait(state: Obj, at: string, problems: string[]): void {
  const has = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => state[f] !== undefined);
  if (has.length !== 1)
    problems.push(
      `${at}: exactly one of fields 'Seconds', 'Timestamp', 'SecondsPath' and 'TimestampPath' is required`,
    );
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

function checkTask(state: Obj, at: string, language: QueryLanguage, problems: string[]): void {
  const resource = typeof state.Resource === 'string' ? parseResource(state.Resource) : undefined;
  if (!resource) {
    problems.push(
      `${at}: field 'Resource' ${JSON.stringify(state.Resource)} is not a Task resource; use a Lambda function ARN, arn:aws:states:::<service>:<action>[.sync|.waitForTaskToken], arn:aws:states:::aws-sdk:<service>:<action> or an activity ARN`,
    );
  }
  const args = language === 'JSONata' ? state.Arguments : state.Parameters;
  const field = language === 'JSONata' ? 'Arguments' : 'Parameters';
  if (language === 'JSONata' && args !== undefined && !isObj(args) && !isTemplate(args)) {
    problems.push(`${at}: field 'Arguments' must be an object or a JSONata expression`);
  }
  if (resource?.kind === 'lambda-invoke' && isObj(args)) {
    for (const raw of Object.keys(args)) {
      const key = raw.endsWith('.$') ? raw.slice(0, -2) : raw;
      if (
        !['FunctionName', 'Payload', 'InvocationType', 'Qualifier', 'ClientContext', 'LogType'].includes(key)
      ) {
        problems.push(`${at}: field '${field}.${key}' is not a Lambda Invoke parameter`);
      }
    }
    if (args.FunctionName === undefined && args['FunctionName.$'] === undefined)
      problems.push(`${at}: field '${field}.FunctionName' is required`);
  }
  for (const f of ['TimeoutSeconds', 'HeartbeatSeconds']) {
    const v = state[f];
    if (v !== undefined && !(language === 'JSONata' && isTemplate(v)) && !isPositiveInt(v)) {
      problems.push(
        `${at}: field '${f}' must be a positive integer${language === 'JSONata' ? ' or a JSONata expression' : ''}`,
      );
    }
    if (v !== undefined && state[`${f}Path`] !== undefined)
      problems.push(`${at}: fields '${f}' and '${f}Path' exclude each other`);
  }
  const t = state.TimeoutSeconds;
  const h = state.HeartbeatSeconds;
  if (typeof t === 'number' && typeof h === 'number' && h >= t) {
    problems.push(`${at}: field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'`);
  }
}
