/**
 * Stage conditions (`beforeEntry`, `onSuccess`, `onFailure` with rules) of a CodePipeline
 * declaration, shared by the CodePipeline, CloudFormation and native loaders.
 */
import type { Path } from '../model/path.ts';
import type {
  Condition,
  ConditionResult,
  FailureConditions,
  Rule,
  Stage,
  StageConditions,
} from '../model/pipeline.ts';
import {
  artifacts,
  type Fields,
  field,
  list,
  num,
  obj,
  pick,
  type Reader,
  str,
  strings,
} from './declaration-reader.ts';
import { cased } from './declaration-schema.ts';
import type { PipelineBuilder } from './load-context.ts';

function rules(r: Reader, map: Fields | undefined, mp: Path, dp: Path): Rule[] {
  const out: Rule[] = [];
  list(r, map, 'rules', mp, dp).forEach((item, i) => {
    const m = [...mp, 'rules', i];
    const d = [...dp, cased('rules', r.casing), i];
    const rule = r.b.object(item, m, d);
    if (!rule) return;
    const typeId = obj(r, rule, 'ruleTypeId', m, d);
    const tm = [...m, 'ruleTypeId'];
    const td = [...d, cased('ruleTypeId', r.casing)];
    const commands = strings(r, rule, 'commands', m, d);
    const region = str(r, rule, 'region', m, d);
    const roleArn = str(r, rule, 'roleArn', m, d);
    const timeoutInMinutes = num(r, rule, 'timeoutInMinutes', m, d);
    out.push({
      name: str(r, rule, 'name', m, d) ?? '',
      ruleTypeId: {
        category: 'Rule',
        owner: 'AWS',
        provider: str(r, typeId, 'provider', tm, td) ?? '',
        version: str(r, typeId, 'version', tm, td) ?? '1',
      },
      configuration: r.b.stringMap(
        field(rule, r, 'configuration'),
        [...m, 'configuration'],
        [...d, cased('configuration', r.casing)],
      ),
      inputArtifacts: artifacts(r, rule, 'inputArtifacts', m, d),
      ...(commands ? { commands } : {}),
      ...(region === undefined ? {} : { region }),
      ...(roleArn === undefined ? {} : { roleArn }),
      ...(timeoutInMinutes === undefined ? {} : { timeoutInMinutes }),
    });
  });
  return out;
}

const RESULTS: readonly ConditionResult[] = ['FAIL', 'SKIP', 'ROLLBACK', 'RETRY'];

function conditions(r: Reader, map: Fields | undefined, mp: Path, dp: Path): Condition[] {
  const out: Condition[] = [];
  list(r, map, 'conditions', mp, dp).forEach((item, i) => {
    const m = [...mp, 'conditions', i];
    const d = [...dp, cased('conditions', r.casing), i];
    const cond = r.b.object(item, m, d);
    if (!cond) return;
    const result = pick(str(r, cond, 'result', m, d), RESULTS);
    out.push({ ...(result ? { result } : {}), rules: rules(r, cond, m, d) });
  });
  return out;
}

function stageConditions(
  r: Reader,
  stage: Fields,
  key: string,
  mp: Path,
  dp: Path,
): StageConditions | undefined {
  const map = obj(r, stage, key, mp, dp);
  return map ? { conditions: conditions(r, map, [...mp, key], [...dp, cased(key, r.casing)]) } : undefined;
}

function failureConditions(r: Reader, stage: Fields, mp: Path, dp: Path): FailureConditions | undefined {
  const map = obj(r, stage, 'onFailure', mp, dp);
  if (!map) return undefined;
  const m = [...mp, 'onFailure'];
  const d = [...dp, cased('onFailure', r.casing)];
  const result = pick(str(r, map, 'result', m, d), ['ROLLBACK', 'RETRY'] as const);
  const retry = obj(r, map, 'retryConfiguration', m, d);
  const retryMode = pick(
    str(r, retry, 'retryMode', [...m, 'retryConfiguration'], [...d, cased('retryConfiguration', r.casing)]),
    ['FAILED_ACTIONS', 'ALL_ACTIONS'] as const,
  );
  const hasConditions = field(map, r, 'conditions') !== undefined;
  return {
    ...(result ? { result } : {}),
    ...(retryMode ? { retryConfiguration: { retryMode } } : {}),
    ...(hasConditions ? { conditions: conditions(r, map, m, d) } : {}),
  };
}

/** Reads `beforeEntry` / `onSuccess` / `onFailure` of a stage map in the reader's casing. */
export function stageConditionsOf(
  r: Reader,
  map: Fields,
  mp: Path,
  dp: Path,
): Pick<Stage, 'beforeEntry' | 'onSuccess' | 'onFailure'> {
  const beforeEntry = stageConditions(r, map, 'beforeEntry', mp, dp);
  const onSuccess = stageConditions(r, map, 'onSuccess', mp, dp);
  const onFailure = failureConditions(r, map, mp, dp);
  return {
    ...(beforeEntry ? { beforeEntry } : {}),
    ...(onSuccess ? { onSuccess } : {}),
    ...(onFailure ? { onFailure } : {}),
  };
}

/**
 * Reads a stage's `beforeEntry` / `onSuccess` / `onFailure` in CodePipeline's camelCase shape
 * (the native format uses the same shape).
 *
 * @example
 * ```ts
 * loadStageConditions({ onFailure: { result: 'RETRY' } }, ['stages', 1], ['stages', 1], builder);
 * // { onFailure: { result: 'RETRY' } }
 * ```
 */
export function loadStageConditions(
  stage: Record<string, unknown>,
  modelPath: Path,
  docPath: Path,
  b: PipelineBuilder,
): Pick<Stage, 'beforeEntry' | 'onSuccess' | 'onFailure'> {
  return stageConditionsOf({ b, casing: 'camel' }, stage, modelPath, docPath);
}
