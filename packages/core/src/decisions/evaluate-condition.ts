/**
 * Stage conditions evaluated (CodePipeline's "How do stage conditions work?"): every rule of a
 * condition runs, the condition succeeds when all rules succeed, and its result (FAIL, SKIP,
 * ROLLBACK, RETRY) engages only when it fails.
 *
 * `VariableCheck` and `DeploymentWindow` are decided here, purely. `Commands` and
 * `LambdaInvoke` rules do I/O: {@link conditionRulesToRun} names the runs the shell carries out
 * (with the engine's providers) and their outcomes come back in `outcomes`, by rule name.
 * `CloudWatchAlarm` and `CodeBuild` rules need AWS and are reported as errors here.
 *
 * @example
 * ```ts
 * const runs = conditionRulesToRun(view, pipeline, 'Deploy', 'ON_SUCCESS', 0);
 * const outcomes = await runAll(runs); // { SmokeTest: { status: 'Failed', summary: 'exit 1' } }
 * evaluateConditions(conditions, { view, at, outcomes }).status; // 'Failed'
 * ```
 */
import { VariableResolutionError } from '../errors.ts';
import type { Artifact } from '../events/event-parts.ts';
import type { ConditionType } from '../events/stage-events.ts';
import type { Action, Condition, ConditionResult, Pipeline, Rule, Stage } from '../model/pipeline.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import { resolveConfiguration, type VariableContext } from '../variables/resolve-variables.ts';
import type { ActionToRun } from './decision.ts';
import { stageNamed, visibleVariables } from './execution-lookup.ts';
import { evaluateDeploymentWindow } from './rule-deployment-window.ts';
import { evaluateVariableCheck, type RuleVerdict } from './rule-variable-check.ts';

/** Rule providers whose rules the shell runs with an action provider. @example `IO_RULE_PROVIDERS.includes('Commands'); // true` */
export const IO_RULE_PROVIDERS = ['Commands', 'LambdaInvoke'] as const;

/** How a rule run by the shell ended. @example `{ status: 'Failed', summary: 'command 1 ("exit 1") exited with code 1' }` */
export interface RuleOutcome {
  status: 'Succeeded' | 'Failed';
  summary?: string;
}

/** A rule run the shell must carry out: an action run of the rule's provider, plus which rule it is. @example `{ ...actionToRun, conditionType: 'ON_SUCCESS', ruleName: 'SmokeTest' }` */
export interface RuleToRun extends ActionToRun {
  conditionType: ConditionType;
  ruleName: string;
}

/** One rule's result as `ConditionEvaluated` records it. @example `{ ruleName: 'InWindow', status: 'Failed', summary: '… is outside the deployment window …' }` */
export interface RuleResult {
  ruleName: string;
  status: 'Succeeded' | 'Failed';
  summary?: string;
}

/**
 * The evaluation of a stage's conditions of one type: `Succeeded`; `Failed` with the result
 * that engages; or `Errored` (a rule could not be evaluated; the stage fails whatever the result).
 *
 * @example
 * ```ts
 * const e: ConditionEvaluation = { status: 'Failed', result: 'SKIP', ruleResults: [{ ruleName: 'IsRelease', status: 'Failed' }] };
 * ```
 */
export interface ConditionEvaluation {
  status: 'Succeeded' | 'Failed' | 'Errored';
  result?: ConditionResult;
  ruleResults: RuleResult[];
}

/**
 * The conditions of a stage for one condition type (empty when it has none).
 *
 * @example
 * ```ts
 * stageConditions(stage, 'BEFORE_ENTRY').length; // 1
 * ```
 */
export function stageConditions(stage: Stage, type: ConditionType): Condition[] {
  if (type === 'BEFORE_ENTRY') return stage.beforeEntry?.conditions ?? [];
  if (type === 'ON_SUCCESS') return stage.onSuccess?.conditions ?? [];
  return stage.onFailure?.conditions ?? [];
}

/**
 * The result a failing condition engages: its own, else the stage's onFailure result (for
 * OnFailure conditions), else FAIL (ROLLBACK for OnFailure).
 */
function resultOf(stage: Stage, type: ConditionType, condition: Condition): ConditionResult {
  if (condition.result !== undefined) return condition.result;
  if (type === 'ON_FAILURE') return stage.onFailure?.result ?? 'ROLLBACK';
  return 'FAIL';
}

/**
 * The variable context conditions resolve `#{…}` references in.
 *
 * @example
 * ```ts
 * resolveVariables('#{variables.ENV}', variableContextOf(view));
 * ```
 */
export function variableContextOf(view: ExecutionView): VariableContext {
  return {
    executionId: view.pipelineExecutionId,
    pipelineVariables: Object.fromEntries(view.variables.map((v) => [v.name, v.resolvedValue])),
    namespaces: view.namespaces,
  };
}

/**
 * The action an I/O rule runs as: `Commands` → `Compute/Commands`, `LambdaInvoke` →
 * `Invoke/Lambda`; `undefined` for the other providers.
 *
 * @example
 * ```ts
 * ruleAsAction(rule)?.actionTypeId.provider; // 'Commands'
 * ```
 */
export function ruleAsAction(rule: Rule): Action | undefined {
  const provider = rule.ruleTypeId.provider;
  const typeId =
    provider === 'Commands'
      ? ({ category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' } as const)
      : provider === 'LambdaInvoke'
        ? ({ category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' } as const)
        : undefined;
  if (typeId === undefined) return undefined;
  return {
    name: rule.name,
    actionTypeId: typeId,
    runOrder: 1,
    configuration: rule.configuration,
    inputArtifacts: rule.inputArtifacts,
    outputArtifacts: [],
    ...(rule.commands === undefined ? {} : { commands: rule.commands }),
    ...(rule.timeoutInMinutes === undefined ? {} : { timeoutInMinutes: rule.timeoutInMinutes }),
  };
}

type PreparedRule = { ok: true; action: Action; inputArtifacts: Artifact[] } | { ok: false; message: string };

function prepareRule(view: ExecutionView, rule: Rule, action: Action): PreparedRule {
  let configuration: Record<string, string>;
  try {
    configuration = resolveConfiguration(action.configuration, variableContextOf(view));
  } catch (e) {
    if (e instanceof VariableResolutionError)
      return { ok: false, message: e.message.replace(/^\[PW\d+\] /, '') };
    throw e;
  }
  const inputArtifacts: Artifact[] = [];
  for (const input of rule.inputArtifacts) {
    const produced = view.artifacts.filter((a) => a.name === input.name).at(-1);
    if (produced === undefined) {
      return {
        ok: false,
        message: `input artifact ${input.name} was not produced by any earlier action of this execution; check the rule's inputArtifacts`,
      };
    }
    const { stageName: _s, actionName: _a, actionExecutionId: _id, ...artifact } = produced;
    inputArtifacts.push(artifact);
  }
  return { ok: true, action: { ...action, configuration }, inputArtifacts };
}

/**
 * Whether the conditions of this type for this stage attempt were already evaluated (a
 * redelivered task repeats the recorded answer and runs nothing again).
 *
 * @example
 * ```ts
 * if (evaluatedCondition(view, 'Deploy', 'ON_SUCCESS', 0)) return;
 * ```
 */
export function evaluatedCondition(
  view: ExecutionView,
  stageName: string,
  type: ConditionType,
  stageAttempt: number,
): ExecutionView['stages'][number]['conditions'][number] | undefined {
  const stage = view.stages.find((s) => s.stageName === stageName);
  return stage?.conditions.find(
    (c) => c.conditionType === type && c.stageAttempt === stageAttempt && c.status !== 'InProgress',
  );
}

/**
 * The I/O rules (Commands, LambdaInvoke) of a stage's conditions the shell must run now: none
 * when the stage has no such rules or the conditions of this attempt were evaluated already.
 * A rule whose configuration or input artifacts cannot be resolved is not run: its evaluation
 * reports the error. `view` is the lookup view (see `rollbackLookupView`).
 *
 * @example
 * ```ts
 * for (const run of conditionRulesToRun(view, pipeline, 'Deploy', 'ON_SUCCESS', 0)) await runRule(run);
 * ```
 */
export function conditionRulesToRun(
  view: ExecutionView,
  pipeline: Pipeline,
  stageName: string,
  type: ConditionType,
  stageAttempt: number,
): RuleToRun[] {
  const stage = stageNamed(pipeline, stageName);
  if (evaluatedCondition(view, stageName, type, stageAttempt) !== undefined) return [];
  const runs: RuleToRun[] = [];
  for (const condition of stageConditions(stage, type)) {
    for (const rule of condition.rules) {
      const action = ruleAsAction(rule);
      if (action === undefined) continue;
      const prepared = prepareRule(view, rule, action);
      if (!prepared.ok) continue;
      runs.push({
        stageName,
        actionName: `condition:${type}:${rule.name}`,
        stageAttempt,
        attempt: 1,
        actionExecutionId: `${view.pipelineExecutionId}:${stageName}:${type}:${rule.name}:${stageAttempt}`,
        action: prepared.action,
        inputArtifacts: prepared.inputArtifacts,
        variables: visibleVariables(view),
        conditionType: type,
        ruleName: rule.name,
      });
    }
  }
  return runs;
}

function evaluateRule(
  view: ExecutionView,
  rule: Rule,
  at: string,
  outcomes: Readonly<Record<string, RuleOutcome>>,
): RuleVerdict {
  const provider = rule.ruleTypeId.provider;
  if (provider === 'VariableCheck') return evaluateVariableCheck(rule.configuration, variableContextOf(view));
  if (provider === 'DeploymentWindow') return evaluateDeploymentWindow(rule.configuration, at);
  const action = ruleAsAction(rule);
  if (action === undefined) {
    return {
      status: 'Errored',
      summary: `${provider} rules need AWS and cannot be evaluated here; use VariableCheck, DeploymentWindow, Commands or LambdaInvoke, or run this pipeline in AWS`,
    };
  }
  const prepared = prepareRule(view, rule, action);
  if (!prepared.ok) return { status: 'Errored', summary: prepared.message };
  const outcome = outcomes[rule.name];
  if (outcome === undefined) return { status: 'Errored', summary: `the ${provider} rule was not run` };
  return { status: outcome.status, summary: outcome.summary ?? `the ${provider} rule ${outcome.status}` };
}

/**
 * Evaluates a stage's conditions of one type: every rule of every condition. The first failing
 * condition's result engages; an error in any rule makes the evaluation `Errored`.
 *
 * @example
 * ```ts
 * evaluateConditions(stage, 'BEFORE_ENTRY', { view, at, outcomes: {} });
 * // { status: 'Failed', result: 'SKIP', ruleResults: [{ ruleName: 'IsRelease', status: 'Failed', summary: '"main" EQ "release"' }] }
 * ```
 */
export function evaluateConditions(
  stage: Stage,
  type: ConditionType,
  ctx: { view: ExecutionView; at: string; outcomes?: Readonly<Record<string, RuleOutcome>> },
): ConditionEvaluation {
  const ruleResults: RuleResult[] = [];
  let errored = false;
  let result: ConditionResult | undefined;
  for (const condition of stageConditions(stage, type)) {
    let failed = false;
    for (const rule of condition.rules) {
      const verdict = evaluateRule(ctx.view, rule, ctx.at, ctx.outcomes ?? {});
      if (verdict.status === 'Errored') errored = true;
      if (verdict.status !== 'Succeeded') failed = true;
      ruleResults.push({
        ruleName: rule.name,
        status: verdict.status === 'Succeeded' ? 'Succeeded' : 'Failed',
        summary: verdict.status === 'Errored' ? `error: ${verdict.summary}` : verdict.summary,
      });
    }
    if (failed && result === undefined) result = resultOf(stage, type, condition);
  }
  if (errored) return { status: 'Errored', ...(result === undefined ? {} : { result }), ruleResults };
  if (result !== undefined) return { status: 'Failed', result, ruleResults };
  return { status: 'Succeeded', ruleResults };
}

/**
 * A one-line account of a failed evaluation, for the task failure's cause and `StageFailed`.
 *
 * @example
 * ```ts
 * conditionCause('BEFORE_ENTRY', evaluation); // 'BeforeEntry condition failed (result FAIL): InWindow: … is outside the deployment window …'
 * ```
 */
export function conditionCause(
  type: ConditionType,
  evaluation: {
    status: string;
    result?: ConditionResult;
    ruleResults: readonly { ruleName: string; status: string; summary?: string }[];
  },
): string {
  const label = { BEFORE_ENTRY: 'BeforeEntry', ON_SUCCESS: 'OnSuccess', ON_FAILURE: 'OnFailure' }[type];
  const failing = evaluation.ruleResults
    .filter((r) => r.status !== 'Succeeded')
    .map((r) => `${r.ruleName}: ${r.summary ?? 'failed'}`)
    .join('; ');
  const how =
    evaluation.status === 'Errored'
      ? 'could not be evaluated'
      : `failed${evaluation.result === undefined ? '' : ` (result ${evaluation.result})`}`;
  return `${label} condition ${how}: ${failing}`;
}
