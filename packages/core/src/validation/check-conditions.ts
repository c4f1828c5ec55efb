import type { Path } from '../model/path.ts';
import type { Condition, Rule } from '../model/pipeline.ts';
import { arr, listOf, orList } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

/** Rule providers CodePipeline offers for stage conditions. */
export const RULE_PROVIDERS = [
  'CloudWatchAlarm',
  'CodeBuild',
  'Commands',
  'DeploymentWindow',
  'LambdaInvoke',
  'VariableCheck',
] as const;
const SKIP_PROVIDERS: readonly string[] = ['LambdaInvoke', 'VariableCheck'];

const RESULTS = {
  beforeEntry: ['FAIL', 'SKIP'],
  onSuccess: ['ROLLBACK', 'FAIL'],
  onFailure: ['ROLLBACK', 'RETRY'],
} as const;

type Kind = keyof typeof RESULTS;

function checkResult(
  ctx: ValidationContext,
  kind: Kind,
  path: Path,
  result: unknown,
  s: number,
  rules: readonly Rule[],
): void {
  if (result === undefined) return;
  const allowed: readonly string[] = RESULTS[kind];
  if (!allowed.includes(result as string)) {
    ctx.error(
      'invalid-condition-result',
      path,
      `${kind} result must be ${orList(allowed)}, got ${JSON.stringify(result)}`,
    );
    return;
  }
  if (result === 'ROLLBACK' && ctx.pipeline.executionMode === 'PARALLEL')
    ctx.error(
      'rollback-in-parallel-mode',
      path,
      'ROLLBACK is not available in PARALLEL execution mode (executions are independent, there is no previous one to roll back to); use FAIL, or switch executionMode to SUPERSEDED or QUEUED',
    );
  else if (result === 'ROLLBACK' && s === 0)
    ctx.error(
      'rollback-in-source-stage',
      path,
      'the source stage cannot be rolled back; remove the ROLLBACK result from the first stage',
    );
  if (result === 'SKIP')
    arr(rules).forEach((rule, r) => {
      const provider = rule?.ruleTypeId?.provider;
      if (!SKIP_PROVIDERS.includes(provider))
        ctx.error(
          'invalid-skip-rule',
          [...path.slice(0, -1), 'rules', r, 'ruleTypeId', 'provider'],
          `a SKIP result only works with ${listOf(SKIP_PROVIDERS)} rules, not ${provider}; use result FAIL or change the rule`,
        );
    });
}

function checkConditionList(
  ctx: ValidationContext,
  at: Path,
  conditions: readonly Condition[] | undefined,
  kind: Kind,
  s: number,
  required: boolean,
): void {
  const list = arr(conditions);
  if ((required && list.length !== 1) || list.length > 1)
    ctx.error(
      'invalid-condition-count',
      [...at, 'conditions'],
      `${kind} holds exactly 1 condition, got ${list.length}; put all rules (1–5) into one condition`,
    );
  list.forEach((condition, c) => {
    const path = [...at, 'conditions', c];
    const rules = arr(condition?.rules);
    if (rules.length < 1 || rules.length > 5)
      ctx.error(
        'invalid-rule-count',
        [...path, 'rules'],
        `a condition takes 1–5 rules, got ${rules.length}${rules.length > 5 ? '; move some into another stage' : '; add a rule'}`,
      );
    rules.forEach((rule, r) => {
      const provider = rule?.ruleTypeId?.provider;
      if (!(RULE_PROVIDERS as readonly string[]).includes(provider))
        ctx.error(
          'unknown-rule-provider',
          [...path, 'rules', r, 'ruleTypeId', 'provider'],
          `unknown rule provider ${JSON.stringify(provider)}; use ${orList(RULE_PROVIDERS)}`,
        );
    });
    if (kind !== 'onFailure') checkResult(ctx, kind, [...path, 'result'], condition?.result, s, rules);
    else if (condition?.result !== undefined)
      checkResult(ctx, kind, [...path, 'result'], condition.result, s, rules);
  });
}

/**
 * Stage conditions: each of beforeEntry/onSuccess holds exactly 1 condition (onFailure 0–1)
 * with 1–5 rules of a known provider; results fit the kind (beforeEntry FAIL|SKIP, onSuccess
 * ROLLBACK|FAIL, onFailure ROLLBACK|RETRY), SKIP only with LambdaInvoke/VariableCheck rules,
 * no ROLLBACK in PARALLEL mode or on the source stage, RETRY needs retryConfiguration.
 *
 * @example
 * ```ts
 * checkConditions(ctx); // e.g. 'stages[2].onFailure: result RETRY needs retryConfiguration …'
 * ```
 */
export function checkConditions(ctx: ValidationContext): void {
  arr(ctx.pipeline.stages).forEach((stage, s) => {
    if (stage === null || typeof stage !== 'object') return;
    if (stage.beforeEntry !== undefined)
      checkConditionList(
        ctx,
        ['stages', s, 'beforeEntry'],
        stage.beforeEntry?.conditions,
        'beforeEntry',
        s,
        true,
      );
    if (stage.onSuccess !== undefined)
      checkConditionList(ctx, ['stages', s, 'onSuccess'], stage.onSuccess?.conditions, 'onSuccess', s, true);
    const onFailure = stage.onFailure;
    if (onFailure === undefined || onFailure === null) return;
    const at = ['stages', s, 'onFailure'];
    checkResult(ctx, 'onFailure', [...at, 'result'], onFailure.result, s, []);
    checkConditionList(ctx, at, onFailure.conditions, 'onFailure', s, false);
    const retryMode = onFailure.retryConfiguration?.retryMode;
    if (onFailure.result === 'RETRY' && onFailure.retryConfiguration === undefined)
      ctx.error(
        'missing-retry-configuration',
        [...at, 'retryConfiguration'],
        'onFailure result RETRY needs retryConfiguration: add retryConfiguration: { retryMode: FAILED_ACTIONS } (or ALL_ACTIONS)',
      );
    else if (onFailure.retryConfiguration !== undefined && onFailure.result !== 'RETRY')
      ctx.error(
        'retry-configuration-without-retry',
        [...at, 'retryConfiguration'],
        'retryConfiguration only applies when onFailure result is RETRY; set result: RETRY or remove retryConfiguration',
      );
    else if (retryMode !== undefined && retryMode !== 'FAILED_ACTIONS' && retryMode !== 'ALL_ACTIONS')
      ctx.error(
        'invalid-retry-mode',
        [...at, 'retryConfiguration', 'retryMode'],
        `retryMode must be FAILED_ACTIONS or ALL_ACTIONS, got ${JSON.stringify(retryMode)}`,
      );
    if (onFailure.result === 'RETRY' && arr(onFailure.conditions).length > 0)
      ctx.error(
        'retry-with-conditions',
        [...at, 'conditions'],
        'automatic retry (result RETRY) cannot be combined with onFailure conditions; remove the conditions or use result ROLLBACK',
      );
  });
}
