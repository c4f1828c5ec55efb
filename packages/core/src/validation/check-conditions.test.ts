import { describe, expect, it } from 'vitest';
import type { Condition, Rule, Stage } from '../model/pipeline.ts';
import { codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

const rule = (provider: string): Rule => ({
  name: `${provider}Rule`,
  ruleTypeId: { category: 'Rule', owner: 'AWS', provider, version: '1' },
  configuration: {},
  inputArtifacts: [],
});
const condition = (result: Condition['result'], ...providers: string[]): Condition => ({
  result,
  rules: providers.map(rule),
});

function withStage(change: Partial<Stage>, index = 3) {
  const p = validPipeline();
  Object.assign(p.stages[index] as Stage, change);
  return p;
}

describe('checkConditions', () => {
  it('accepts valid conditions of every kind', () => {
    const p = withStage({
      beforeEntry: { conditions: [condition('SKIP', 'VariableCheck', 'LambdaInvoke')] },
      onSuccess: { conditions: [condition('ROLLBACK', 'CloudWatchAlarm')] },
      onFailure: { result: 'RETRY', retryConfiguration: { retryMode: 'FAILED_ACTIONS' } },
    });
    expect(codes(p)).toEqual([]);
  });

  it('checks results per kind', () => {
    const p = withStage({ onSuccess: { conditions: [condition('SKIP', 'VariableCheck')] } });
    expect(messagesOf(p, 'invalid-condition-result')).toEqual([
      'stages/3/onSuccess/conditions/0/result: onSuccess result must be ROLLBACK or FAIL, got "SKIP"',
    ]);
  });

  it('allows SKIP only with LambdaInvoke and VariableCheck rules', () => {
    const p = withStage({
      beforeEntry: { conditions: [condition('SKIP', 'VariableCheck', 'DeploymentWindow')] },
    });
    expect(messagesOf(p, 'invalid-skip-rule')).toEqual([
      'stages/3/beforeEntry/conditions/0/rules/1/ruleTypeId/provider: a SKIP result only works with LambdaInvoke and VariableCheck rules, not DeploymentWindow; use result FAIL or change the rule',
    ]);
  });

  it('requires exactly one condition with 1–5 rules', () => {
    expect(codes(withStage({ beforeEntry: { conditions: [] } }))).toEqual(['invalid-condition-count']);
    expect(codes(withStage({ beforeEntry: { conditions: [condition('FAIL')] } }))).toEqual([
      'invalid-rule-count',
    ]);
    const six = condition(
      'FAIL',
      'VariableCheck',
      'VariableCheck',
      'VariableCheck',
      'VariableCheck',
      'VariableCheck',
      'VariableCheck',
    );
    expect(codes(withStage({ beforeEntry: { conditions: [six] } }))).toEqual(['invalid-rule-count']);
  });

  it('rejects unknown rule providers', () => {
    expect(codes(withStage({ onSuccess: { conditions: [condition('FAIL', 'Datadog')] } }))).toEqual([
      'unknown-rule-provider',
    ]);
  });

  it('rejects ROLLBACK in PARALLEL mode and on the source stage', () => {
    const p = withStage({ onFailure: { result: 'ROLLBACK' } });
    p.executionMode = 'PARALLEL';
    expect(codes(p)).toEqual(['rollback-in-parallel-mode']);
    expect(codes(withStage({ onFailure: { result: 'ROLLBACK' } }, 0))).toEqual(['rollback-in-source-stage']);
  });

  it('needs retryConfiguration exactly with RETRY, and no conditions with it', () => {
    expect(codes(withStage({ onFailure: { result: 'RETRY' } }))).toEqual(['missing-retry-configuration']);
    expect(
      codes(
        withStage({ onFailure: { result: 'ROLLBACK', retryConfiguration: { retryMode: 'ALL_ACTIONS' } } }),
      ),
    ).toEqual(['retry-configuration-without-retry']);
    const p = withStage({
      onFailure: {
        result: 'RETRY',
        retryConfiguration: { retryMode: 'ALL_ACTIONS' },
        conditions: [condition(undefined, 'CloudWatchAlarm')],
      },
    });
    expect(codes(p)).toEqual(['retry-with-conditions']);
  });
});
