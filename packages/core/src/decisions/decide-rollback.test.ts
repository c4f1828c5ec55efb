import { describe, expect, it } from 'vitest';
import { ExecutionStateError } from '../errors.ts';
import { conditionEvaluated, stageFailed, stageSucceeded } from '../events/index.ts';
import type { Pipeline, Rule } from '../model/pipeline.ts';
import {
  ARTIFACT,
  at,
  BUILD_FAILED_PARTLY,
  begin,
  CAUGHT,
  eventOf,
  failedTask,
  INTO_BUILD,
  NONE,
  pipelineOf,
  stage,
  started,
  succeed,
  T,
  types,
  viewOf,
  X,
} from './decisions.fixtures.ts';
import {
  CONDITION_FAILED_ERROR,
  checkRollbackTarget,
  decideAction,
  decideRolledBack,
  decideStageFailed,
  decideStart,
  rollbackLookupView,
} from './index.ts';

const BUILD_SUCCEEDED = [
  ...INTO_BUILD,
  begin('Build', 'Compile'),
  succeed('Build', 'Compile'),
  begin('Build', 'Lint'),
  succeed('Build', 'Lint'),
  stageSucceeded(stage('Build')),
];
const PIPE = pipelineOf();
const target = viewOf(BUILD_SUCCEEDED);

/** A ROLLBACK execution `r1` of Build to the fixture's execution `x1` (its events in stream x1, as the fixtures fold). */
function rollbackOf(pipeline: Pipeline = PIPE) {
  const d = decideStart({
    pipeline,
    pipelineVersion: 1,
    executionId: X,
    at: at(9),
    trigger: { triggerType: 'ManualRollback', triggerDetail: 'alice' },
    overrides: { ENV: 'ignored' },
    rollback: {
      target: {
        ...target,
        pipelineExecutionId: 't1',
        sourceRevisions: [{ actionName: 'Checkout', revisionId: '4f2a9c1' }],
      },
      stageName: 'Build',
    },
  });
  return viewOf(d.events, pipeline);
}

describe('decideStart with rollback', () => {
  it('records a ROLLBACK execution with the target variables and revisions', () => {
    const view = rollbackOf();
    expect(view.executionType).toBe('ROLLBACK');
    expect(view.rollbackMetadata).toEqual({ rollbackTargetPipelineExecutionId: 't1', stageName: 'Build' });
    expect(view.trigger).toEqual({ triggerType: 'ManualRollback', triggerDetail: 'alice' });
    expect(view.variables).toEqual([{ name: 'ENV', resolvedValue: 'prod' }]);
    expect(view.sourceRevisions).toEqual([{ actionName: 'Checkout', revisionId: '4f2a9c1' }]);
  });
});

describe('rollbackLookupView', () => {
  it('completes the rollback view with the target artifacts and namespaces of earlier stages', () => {
    // Act
    const lookup = rollbackLookupView(rollbackOf(), target);
    // Assess
    expect(lookup.artifacts).toEqual([
      {
        ...ARTIFACT,
        stageName: 'Source',
        actionName: 'Checkout',
        actionExecutionId: `${X}:Source:Checkout:0:1`,
      },
    ]);
    expect(lookup.namespaces).toEqual({ SourceVariables: { CommitId: '4f2a9c1' } });
    expect(rollbackLookupView(target, target)).toBe(target);
  });

  it('gives the rolled-back stage the target input artifacts and variables', () => {
    const d = decideAction(
      rollbackOf(),
      PIPE,
      {
        kind: 'action',
        pipeline: 'p',
        executionId: X,
        stage: 'Build',
        action: 'Compile',
        attempt: 0,
        taskToken: 't',
      },
      { at: T, running: NONE, rollbackTarget: target },
    );
    expect(d.run?.inputArtifacts).toEqual([ARTIFACT]);
    expect(d.run?.action.configuration).toMatchObject({ Target: 'prod', Commit: '4f2a9c1' });
  });
});

describe('checkRollbackTarget', () => {
  const refusal = (pipeline: Pipeline, stageName: string, view: typeof target | undefined) => {
    try {
      checkRollbackTarget(pipeline, stageName, view);
      return 'allowed';
    } catch (e) {
      expect(e).toBeInstanceOf(ExecutionStateError);
      return (e as Error).message;
    }
  };

  it('allows a standard execution of the current version where the stage succeeded', () => {
    expect(refusal(PIPE, 'Build', target)).toBe('allowed');
  });

  it('refuses as CodePipeline does, saying why', () => {
    expect(refusal({ ...PIPE, executionMode: 'PARALLEL' }, 'Build', target)).toContain('PARALLEL mode');
    expect(refusal(PIPE, 'Source', target)).toContain('source stage');
    expect(refusal(PIPE, 'Nope', target)).toContain('has no stage Nope');
    expect(refusal(PIPE, 'Build', undefined)).toContain(
      'has not succeeded in any earlier standard execution',
    );
    expect(refusal(PIPE, 'Approve', target)).toContain('did not succeed in execution x1 (it is NotStarted)');
    expect(refusal({ ...PIPE, version: 2 }, 'Build', target)).toContain('current version is 2');
    expect(refusal(PIPE, 'Build', { ...target, executionType: 'ROLLBACK' })).toContain('itself a rollback');
  });
});

describe('decideStageFailed and rollback', () => {
  const wait = { at: at(4), running: NONE, policy: 'wait' as const };
  const smoke: Rule = {
    name: 'Smoke',
    ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'Commands', version: '1' },
    configuration: {},
    commands: ['exit 1'],
    inputArtifacts: [],
  };

  it('asks for a rollback after an OnSuccess condition failed with ROLLBACK', () => {
    // Prepare
    const pipeline = pipelineOf({ onSuccess: { conditions: [{ result: 'ROLLBACK', rules: [smoke] }] } });
    const events = [
      ...BUILD_SUCCEEDED.slice(0, -1),
      conditionEvaluated({
        ...stage('Build'),
        conditionType: 'ON_SUCCESS',
        status: 'Failed',
        result: 'ROLLBACK',
        ruleResults: [{ ruleName: 'Smoke', status: 'Failed' }],
      }),
    ];
    const caught = {
      Error: CONDITION_FAILED_ERROR,
      Cause: 'OnSuccess condition failed (result ROLLBACK): Smoke: exit 1',
    };
    // Act
    const d = decideStageFailed(viewOf(events, pipeline), pipeline, failedTask('Build', caught), wait);
    // Assess
    expect(types(d)).toEqual(['StageFailed']);
    expect(eventOf(d, 'StageFailed').data.error).toEqual({ code: 'ConditionFailed', message: caught.Cause });
    expect(d.rollback).toMatchObject({ stageName: 'Build', stageAttempt: 0 });
    expect(d.reply).toBeUndefined();
  });

  it('rolls back on failure (OnFailure ROLLBACK), and with conditions only when one fails', () => {
    // Prepare
    const always = pipelineOf({ onFailure: { result: 'ROLLBACK' } });
    const conditional = (outcome: 'Succeeded' | 'Failed') =>
      decideStageFailed(
        viewOf(BUILD_FAILED_PARTLY),
        pipelineOf({ onFailure: { result: 'ROLLBACK', conditions: [{ rules: [smoke] }] } }),
        failedTask('Build', CAUGHT),
        { ...wait, outcomes: { Smoke: { status: outcome } } },
      );
    // Act
    const d = decideStageFailed(
      viewOf(BUILD_FAILED_PARTLY, always),
      always,
      failedTask('Build', CAUGHT),
      wait,
    );
    const held = conditional('Succeeded');
    const engaged = conditional('Failed');
    // Assess
    expect(d.rollback?.stageName).toBe('Build');
    expect(types(held)).toEqual(['StageFailed', 'ConditionEvaluated']);
    expect(held.rollback).toBeUndefined();
    expect(eventOf(engaged, 'ConditionEvaluated').data).toMatchObject({
      conditionType: 'ON_FAILURE',
      status: 'Failed',
      result: 'ROLLBACK',
    });
    expect(engaged.rollback?.stageName).toBe('Build');
  });

  it('neither retries nor rolls back a stage that failed at its gate', () => {
    // Prepare
    const pipeline = pipelineOf({
      beforeEntry: { conditions: [{ result: 'FAIL', rules: [smoke] }] },
      onFailure: { result: 'RETRY', retryConfiguration: { retryMode: 'FAILED_ACTIONS' } },
    });
    const events = [
      ...INTO_BUILD.slice(0, -1),
      conditionEvaluated({
        ...stage('Build'),
        conditionType: 'BEFORE_ENTRY',
        status: 'Failed',
        result: 'FAIL',
        ruleResults: [{ ruleName: 'Smoke', status: 'Failed' }],
      }),
    ];
    // Act
    const d = decideStageFailed(
      viewOf(events, pipeline),
      pipeline,
      failedTask('Build', { Error: CONDITION_FAILED_ERROR }),
      wait,
    );
    // Assess
    expect(types(d)).toEqual(['StageFailed']);
    expect(d.reply).toBeUndefined();
    expect(d.rollback).toBeUndefined();
  });

  it('never rolls back from a rollback execution', () => {
    const pipeline = pipelineOf({ onFailure: { result: 'ROLLBACK' } });
    const view = rollbackOf(pipeline);
    const d = decideStageFailed(view, pipeline, failedTask('Build', CAUGHT), wait);
    expect(d.rollback).toBeUndefined();
  });
});

describe('decideRolledBack', () => {
  it('ends the failed execution naming the rollback, then only answers FAIL', () => {
    // Prepare
    const failed = [
      ...BUILD_FAILED_PARTLY,
      stageFailed({ ...stage('Build'), error: { code: 'JobFailed', message: 'Compile: exit 1' } }),
    ];
    // Act
    const d = decideRolledBack(
      viewOf(failed),
      { stageName: 'Build', rollbackExecutionId: 'r1' },
      { at: at(5) },
    );
    const again = decideRolledBack(
      viewOf([...failed, ...d.events]),
      { stageName: 'Build', rollbackExecutionId: 'r1' },
      { at: at(6) },
    );
    // Assess
    expect(eventOf(d, 'ExecutionFailed').data).toEqual({
      stageName: 'Build',
      error: { code: 'JobFailed', message: 'Compile: exit 1; rolled back by execution r1' },
    });
    expect(d.reply).toEqual({ kind: 'success', output: { decision: 'FAIL' } });
    expect(again).toEqual({ events: [], reply: d.reply });
  });
});

// `started` keeps its meaning: a standard execution.
it('the fixture execution is a standard one', () => expect(started.data.executionType).toBe('STANDARD'));
