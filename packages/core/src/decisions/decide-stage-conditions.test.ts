import { describe, expect, it } from 'vitest';
import { stageSucceeded } from '../events/index.ts';
import type { Condition, Rule } from '../model/pipeline.ts';
import {
  begin,
  ENTER,
  eventOf,
  gate,
  INTO_BUILD,
  leave,
  OK,
  pipelineOf,
  stage,
  started,
  succeed,
  T,
  types,
  viewOf,
} from './decisions.fixtures.ts';
import { CONDITION_FAILED_ERROR, conditionRulesToRun, decideStageEntry, decideStageExit } from './index.ts';

const rule = (
  name: string,
  provider: string,
  configuration: Record<string, string>,
  extra: Partial<Rule> = {},
): Rule => ({
  name,
  ruleTypeId: { category: 'Rule', owner: 'AWS', provider, version: '1' },
  configuration,
  inputArtifacts: [],
  ...extra,
});
const envIs = (value: string) =>
  rule('EnvCheck', 'VariableCheck', { Variable: '#{variables.ENV}', Value: value, Operator: 'EQ' });
const entry = (condition: Condition) => pipelineOf({ beforeEntry: { conditions: [condition] } });
const exit = (condition: Condition) => pipelineOf({ onSuccess: { conditions: [condition] } });

/** Source done, Build not entered yet. */
const BEFORE_BUILD = INTO_BUILD.slice(0, -1);
/** Build's actions succeeded. */
const BUILD_DONE = [
  ...INTO_BUILD,
  begin('Build', 'Compile'),
  succeed('Build', 'Compile'),
  begin('Build', 'Lint'),
  succeed('Build', 'Lint'),
];

describe('decideStageEntry', () => {
  it('records the evaluation and enters when every rule passes', () => {
    // Prepare
    const pipeline = entry({ result: 'FAIL', rules: [envIs('prod')] });
    // Act
    const d = decideStageEntry(viewOf(BEFORE_BUILD, pipeline), pipeline, gate('Build'), { at: T });
    // Assess
    expect(types(d)).toEqual(['ConditionEvaluated', 'StageStarted']);
    expect(eventOf(d, 'ConditionEvaluated').data).toEqual({
      stageName: 'Build',
      stageAttempt: 0,
      conditionType: 'BEFORE_ENTRY',
      status: 'Succeeded',
      ruleResults: [{ ruleName: 'EnvCheck', status: 'Succeeded', summary: '"prod" EQ "prod"' }],
    });
    expect(d.reply).toEqual(ENTER);
  });

  it('fails the gate task when a FAIL condition fails', () => {
    const pipeline = entry({ result: 'FAIL', rules: [envIs('dev')] });
    const d = decideStageEntry(viewOf(BEFORE_BUILD, pipeline), pipeline, gate('Build'), { at: T });
    expect(types(d)).toEqual(['ConditionEvaluated']);
    expect(eventOf(d, 'ConditionEvaluated').data).toMatchObject({ status: 'Failed', result: 'FAIL' });
    expect(d.reply).toEqual({
      kind: 'failure',
      error: CONDITION_FAILED_ERROR,
      cause: 'BeforeEntry condition failed (result FAIL): EnvCheck: "prod" EQ "dev"',
    });
  });

  it('skips the stage when a SKIP condition fails', () => {
    const pipeline = entry({ result: 'SKIP', rules: [envIs('dev')] });
    const d = decideStageEntry(viewOf(BEFORE_BUILD, pipeline), pipeline, gate('Build'), { at: T });
    expect(types(d)).toEqual(['ConditionEvaluated', 'StageSkipped']);
    expect(eventOf(d, 'StageSkipped').data.reason).toContain('result SKIP');
    expect(d.reply).toEqual({ kind: 'success', output: { decision: 'SKIP' } });
  });

  it('fails (does not skip) when a rule cannot be evaluated', () => {
    const pipeline = entry({
      result: 'SKIP',
      rules: [rule('Typo', 'VariableCheck', { Variable: '#{Nope.X}', Value: 'a', Operator: 'EQ' })],
    });
    const d = decideStageEntry(viewOf(BEFORE_BUILD, pipeline), pipeline, gate('Build'), { at: T });
    expect(eventOf(d, 'ConditionEvaluated').data.status).toBe('Errored');
    expect(d.reply).toMatchObject({ kind: 'failure', error: CONDITION_FAILED_ERROR });
  });

  it('repeats the recorded answer on a redelivery without evaluating again', () => {
    // Prepare: the window was open when the gate first ran, closed now.
    const pipeline = entry({
      result: 'FAIL',
      rules: [rule('Window', 'DeploymentWindow', { Cron: '* 0-9 * ? * *' })],
    });
    const first = decideStageEntry(viewOf(BEFORE_BUILD, pipeline), pipeline, gate('Build'), { at: T });
    // Act
    const again = decideStageEntry(
      viewOf([...BEFORE_BUILD, ...first.events], pipeline),
      pipeline,
      gate('Build'),
      {
        at: '2026-01-02T03:30:00.000Z',
      },
    );
    // Assess
    expect(first.reply).toEqual(ENTER);
    expect(again).toEqual({ events: [], reply: ENTER });
  });

  it('evaluates again for the next stage attempt', () => {
    const pipeline = entry({ result: 'FAIL', rules: [envIs('dev')] });
    const first = decideStageEntry(viewOf(BEFORE_BUILD, pipeline), pipeline, gate('Build'), { at: T });
    const retried = decideStageEntry(
      viewOf([...BEFORE_BUILD, ...first.events], pipeline),
      pipeline,
      gate('Build', 1),
      {
        at: T,
      },
    );
    expect(types(retried)).toEqual(['ConditionEvaluated']);
    expect(eventOf(retried, 'ConditionEvaluated').data.stageAttempt).toBe(1);
  });

  it('skips every stage but the rolled-back one in a rollback execution', () => {
    // Prepare
    const rollback = {
      ...started,
      data: {
        ...started.data,
        executionType: 'ROLLBACK' as const,
        rollbackMetadata: { rollbackTargetPipelineExecutionId: 't1', stageName: 'Build' },
      },
    };
    // Act
    const source = decideStageEntry(viewOf([rollback]), pipelineOf(), gate('Source'), { at: T });
    const build = decideStageEntry(viewOf([rollback]), pipelineOf(), gate('Build'), { at: T });
    // Assess
    expect(types(source)).toEqual(['StageSkipped']);
    expect(source.reply).toEqual({ kind: 'success', output: { decision: 'SKIP' } });
    expect(types(build)).toEqual(['StageStarted']);
  });
});

const smoke = rule('Smoke', 'Commands', {}, { commands: ['curl -f http://localhost/health'] });

describe('decideStageExit', () => {
  it('succeeds the stage when the rules the shell ran passed', () => {
    const pipeline = exit({ result: 'FAIL', rules: [smoke] });
    const d = decideStageExit(viewOf(BUILD_DONE, pipeline), pipeline, leave('Build'), {
      at: T,
      outcomes: { Smoke: { status: 'Succeeded', summary: 'ok' } },
    });
    expect(types(d)).toEqual(['ConditionEvaluated', 'StageSucceeded']);
    expect(d.reply).toEqual(OK);
  });

  it('fails the leave task when a rule failed, naming the rule and why', () => {
    const pipeline = exit({ result: 'ROLLBACK', rules: [smoke] });
    const d = decideStageExit(viewOf(BUILD_DONE, pipeline), pipeline, leave('Build'), {
      at: T,
      outcomes: { Smoke: { status: 'Failed', summary: 'command 1 exited with code 1' } },
    });
    expect(types(d)).toEqual(['ConditionEvaluated']);
    expect(eventOf(d, 'ConditionEvaluated').data).toMatchObject({ status: 'Failed', result: 'ROLLBACK' });
    expect(d.reply).toEqual({
      kind: 'failure',
      error: CONDITION_FAILED_ERROR,
      cause: 'OnSuccess condition failed (result ROLLBACK): Smoke: command 1 exited with code 1',
    });
  });

  it('records an I/O rule nobody ran as an error', () => {
    const pipeline = exit({ result: 'FAIL', rules: [smoke] });
    const d = decideStageExit(viewOf(BUILD_DONE, pipeline), pipeline, leave('Build'), { at: T });
    expect(eventOf(d, 'ConditionEvaluated').data.status).toBe('Errored');
  });

  it('leaves without conditions as before', () => {
    const d = decideStageExit(viewOf(BUILD_DONE), pipelineOf(), leave('Build'), { at: T });
    expect(d.events).toEqual([stageSucceeded(stage('Build'))]);
  });
});

describe('conditionRulesToRun', () => {
  it('names the I/O rules with their configuration resolved and input artifacts found', () => {
    // Prepare
    const pipeline = exit({
      result: 'FAIL',
      rules: [
        envIs('prod'),
        rule(
          'Check',
          'LambdaInvoke',
          { FunctionName: 'check.ts', UserParameters: '#{SourceVariables.CommitId}' },
          {
            inputArtifacts: [{ name: 'SourceOutput' }],
          },
        ),
      ],
    });
    // Act
    const runs = conditionRulesToRun(viewOf(BUILD_DONE, pipeline), pipeline, 'Build', 'ON_SUCCESS', 0);
    // Assess
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      ruleName: 'Check',
      conditionType: 'ON_SUCCESS',
      actionName: 'condition:ON_SUCCESS:Check',
      action: {
        actionTypeId: { category: 'Invoke', provider: 'Lambda' },
        configuration: { UserParameters: '4f2a9c1' },
      },
      inputArtifacts: [{ name: 'SourceOutput', sha256: 'ab12' }],
    });
  });

  it('runs nothing once the attempt was evaluated', () => {
    const pipeline = exit({ result: 'FAIL', rules: [smoke] });
    const d = decideStageExit(viewOf(BUILD_DONE, pipeline), pipeline, leave('Build'), {
      at: T,
      outcomes: { Smoke: { status: 'Succeeded' } },
    });
    const runs = conditionRulesToRun(
      viewOf([...BUILD_DONE, ...d.events], pipeline),
      pipeline,
      'Build',
      'ON_SUCCESS',
      0,
    );
    expect(runs).toEqual([]);
  });
});
