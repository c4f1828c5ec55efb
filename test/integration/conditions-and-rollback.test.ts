/**
 * Stage conditions and stage rollback through a real local runtime (SQLite event log, the
 * states runtime running the compiled definition, the real Commands provider for Commands
 * rules): BeforeEntry VariableCheck with FAIL and SKIP, a DeploymentWindow outside its window
 * (the engine's clock injected), an OnSuccess Commands rule that fails, a manual rollback
 * that deploys an earlier execution's artifact again, and an automatic rollback from an
 * OnSuccess condition with result ROLLBACK.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Condition,
  type EventRecord,
  type ExecutionMode,
  ExecutionStateError,
  type ExecutionView,
  executionStream,
  type Pipeline,
  type Rule,
  type Stage,
  type StageFailurePolicy,
} from '@pipewright/core';
import {
  type ActionOutcome,
  type ActionProvider,
  type ActionRun,
  automatedRollbackId,
} from '@pipewright/engine';
import type { LocalRuntime } from '@pipewright/local';
import { commandsProvider } from '@pipewright/providers';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { openRuntimeWith } from '../support/local-runtimes.ts';
import { fakeAction, testPipeline } from '../support/pipelines.ts';
import { recordWaiter } from '../support/record-waiter.ts';

const cleanups = cleanupsAfter(afterEach);

const alice = { kind: 'user' as const, id: 'alice' };

/** `Fake` Source writes `content` into its artifact and outputs it as `Content`; `Fake` Deploy records what it got. */
class FakeProviders {
  content = 'v1';
  readonly deployed: string[] = [];

  readonly source: ActionProvider = {
    categories: ['Source'],
    provider: 'Fake',
    run: async (run: ActionRun): Promise<ActionOutcome> => {
      await writeFile(join(run.workspace, 'app.txt'), this.content);
      const artifact = await run.artifacts.putDirectory(run.workspace, { name: 'SourceOutput' });
      return { status: 'Succeeded', outputArtifacts: [artifact], outputVariables: { Content: this.content } };
    },
  };

  readonly deploy: ActionProvider = {
    categories: ['Deploy'],
    provider: 'Fake',
    run: async (run: ActionRun): Promise<ActionOutcome> => {
      this.deployed.push(run.inputs[0]?.artifact.sha256 ?? 'none');
      return { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };
    },
  };
}

function rule(
  name: string,
  provider: string,
  configuration: Record<string, string>,
  extra: Partial<Rule> = {},
): Rule {
  return {
    name,
    ruleTypeId: { category: 'Rule', owner: 'AWS', provider, version: '1' },
    configuration,
    inputArtifacts: [],
    ...extra,
  };
}

const contentIs = (operator: string, value: string) =>
  rule('ContentCheck', 'VariableCheck', {
    Variable: '#{SourceVariables.Content}',
    Operator: operator,
    Value: value,
  });

/** Source → Deploy (its conditions from `deploy`) → Notify (a Commands action). */
function pipelineWith(deploy: Partial<Stage>, mode: ExecutionMode = 'SUPERSEDED'): Pipeline {
  return testPipeline(
    [
      {
        name: 'Source',
        actions: [
          fakeAction('Checkout', 'Source', {
            namespace: 'SourceVariables',
            outputArtifacts: [{ name: 'SourceOutput' }],
          }),
        ],
      },
      {
        name: 'Deploy',
        actions: [fakeAction('Ship', 'Deploy', { inputArtifacts: [{ name: 'SourceOutput' }] })],
        ...deploy,
      },
      {
        name: 'Notify',
        actions: [
          {
            name: 'Announce',
            actionTypeId: { category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' },
            runOrder: 1,
            configuration: {},
            commands: ['echo shipped'],
            inputArtifacts: [],
            outputArtifacts: [],
          },
        ],
      },
    ],
    { name: 'cond', executionMode: mode },
  );
}

interface Opened {
  runtime: LocalRuntime;
  fakes: FakeProviders;
  clock: { now: Date };
  until(match: (r: EventRecord) => boolean): Promise<EventRecord>;
  run(): Promise<ExecutionView>;
}

async function open(pipeline: Pipeline, failurePolicy: StageFailurePolicy = 'fail'): Promise<Opened> {
  const fakes = new FakeProviders();
  const clock = { now: new Date('2026-01-05T10:00:00.000Z') }; // a Monday
  const waiter = recordWaiter();
  const { runtime } = await openRuntimeWith(cleanups, 'pw-cond-', pipeline, {
    providers: [fakes.source, fakes.deploy, commandsProvider({})],
    failurePolicy,
    now: () => clock.now,
    onEvents: waiter.onEvents,
  });
  return {
    runtime,
    fakes,
    clock,
    until: waiter.until,
    run: async () => {
      const { executionId } = await runtime.engine.start({ pipeline: pipeline.name });
      return runtime.waitForExecution(executionId);
    },
  };
}

const statuses = (view: ExecutionView) => view.stages.map((s) => `${s.stageName}:${s.status}`);
const conditionsOf = (view: ExecutionView, stage: string) =>
  view.stages.find((s) => s.stageName === stage)?.conditions ?? [];
const beforeEntry = (condition: Condition) => ({ beforeEntry: { conditions: [condition] } });

describe('BeforeEntry conditions', () => {
  it('a failing VariableCheck with result FAIL fails the stage before any action runs', async () => {
    // Prepare
    const o = await open(pipelineWith(beforeEntry({ result: 'FAIL', rules: [contentIs('EQ', 'v2')] })));
    // Act
    const view = await o.run();
    // Assess
    expect(view.status).toBe('Failed');
    expect(statuses(view)).toEqual(['Source:Succeeded', 'Deploy:Failed', 'Notify:NotStarted']);
    expect(view.stages[1]?.error).toEqual({
      code: 'ConditionFailed',
      message: 'BeforeEntry condition failed (result FAIL): ContentCheck: "v1" EQ "v2"',
    });
    expect(conditionsOf(view, 'Deploy')).toMatchObject([
      {
        conditionType: 'BEFORE_ENTRY',
        status: 'Failed',
        result: 'FAIL',
        ruleResults: [{ ruleName: 'ContentCheck', status: 'Failed', summary: '"v1" EQ "v2"' }],
      },
    ]);
    expect(o.fakes.deployed).toEqual([]);
  });

  it('a failing VariableCheck with result SKIP skips the stage and the next stage runs', async () => {
    const o = await open(pipelineWith(beforeEntry({ result: 'SKIP', rules: [contentIs('EQ', 'v2')] })));
    const view = await o.run();
    expect(view.status).toBe('Succeeded');
    expect(statuses(view)).toEqual(['Source:Succeeded', 'Deploy:Skipped', 'Notify:Succeeded']);
    expect(view.stages[1]?.skipReason).toContain('ContentCheck');
    expect(o.fakes.deployed).toEqual([]);
  });

  it('a passing VariableCheck enters the stage', async () => {
    const o = await open(pipelineWith(beforeEntry({ result: 'SKIP', rules: [contentIs('EQ', 'v1')] })));
    const view = await o.run();
    expect(statuses(view)).toEqual(['Source:Succeeded', 'Deploy:Succeeded', 'Notify:Succeeded']);
    expect(conditionsOf(view, 'Deploy')).toMatchObject([
      { conditionType: 'BEFORE_ENTRY', status: 'Succeeded' },
    ]);
  });

  it('outside its DeploymentWindow the stage fails; retried inside the window it runs', async () => {
    // Prepare: weekdays 09:00-17:59 in Berlin; the clock says Sunday.
    const window = rule('BusinessHours', 'DeploymentWindow', {
      Cron: '* * 9-17 ? * MON-FRI *',
      TimeZone: 'Europe/Berlin',
    });
    const o = await open(pipelineWith(beforeEntry({ result: 'FAIL', rules: [window] })), 'wait');
    o.clock.now = new Date('2026-01-04T12:00:00.000Z');
    const { executionId } = await o.runtime.engine.start({ pipeline: 'cond' });
    await o.until((r) => r.type === 'StageFailed' && r.stream === executionStream(executionId));
    const outside = await o.runtime.engine.view(executionId);
    // Act: Monday 10:00 Berlin; an operator retries the stage (ALL_ACTIONS goes through the gate again).
    o.clock.now = new Date('2026-01-05T09:00:00.000Z');
    await o.runtime.engine.retryStage(executionId, {
      stageName: 'Deploy',
      retryMode: 'ALL_ACTIONS',
      actor: alice,
    });
    const view = await o.runtime.waitForExecution(executionId);
    // Assess
    expect(statuses(outside)).toEqual(['Source:Succeeded', 'Deploy:Failed', 'Notify:NotStarted']);
    expect(conditionsOf(outside, 'Deploy')).toMatchObject([
      {
        stageAttempt: 0,
        status: 'Failed',
        ruleResults: [
          {
            ruleName: 'BusinessHours',
            status: 'Failed',
            summary:
              '2026-01-04T12:00:00.000Z is outside the deployment window * * 9-17 ? * MON-FRI * (Europe/Berlin)',
          },
        ],
      },
    ]);
    expect(view.status).toBe('Succeeded');
    expect(conditionsOf(view, 'Deploy').map((c) => [c.stageAttempt, c.status])).toEqual([
      [0, 'Failed'],
      [1, 'Succeeded'],
    ]);
    expect(o.fakes.deployed).toHaveLength(1);
  });
});

describe('OnSuccess conditions', () => {
  it('a Commands rule that exits 1 fails the stage after its actions succeeded', async () => {
    // Prepare
    const smoke = rule(
      'SmokeTest',
      'Commands',
      {},
      {
        commands: ['test "$(cat app.txt)" = v1', 'exit 1'],
        inputArtifacts: [{ name: 'SourceOutput' }],
      },
    );
    const o = await open(pipelineWith({ onSuccess: { conditions: [{ result: 'FAIL', rules: [smoke] }] } }));
    // Act
    const view = await o.run();
    // Assess
    expect(view.status).toBe('Failed');
    expect(statuses(view)).toEqual(['Source:Succeeded', 'Deploy:Failed', 'Notify:NotStarted']);
    expect(view.stages[1]?.actions[0]?.status).toBe('Succeeded');
    const [condition] = conditionsOf(view, 'Deploy');
    expect(condition).toMatchObject({ conditionType: 'ON_SUCCESS', status: 'Failed', result: 'FAIL' });
    expect(condition?.ruleResults[0]?.summary).toContain('command 2 ("exit 1") exited with code 1');
  });
});

describe('Engine.rollbackStage', () => {
  it('deploys the first execution artifact again after two successful executions', async () => {
    // Prepare
    const o = await open(pipelineWith({}));
    const first = await o.run();
    o.fakes.content = 'v2';
    const second = await o.run();
    const shipped = (view: ExecutionView) =>
      view.stages[1]?.actions[0]?.attempts.at(-1)?.inputArtifacts[0]?.sha256 ?? 'none';
    // Act
    const started = await o.runtime.engine.rollbackStage('cond', {
      stageName: 'Deploy',
      targetExecutionId: first.pipelineExecutionId,
      actor: alice,
    });
    const rollback = await o.runtime.waitForExecution(started.executionId);
    // Assess
    expect(shipped(first)).not.toBe(shipped(second));
    expect(started.targetExecutionId).toBe(first.pipelineExecutionId);
    expect(rollback.status).toBe('Succeeded');
    expect(rollback.executionType).toBe('ROLLBACK');
    expect(rollback.trigger).toEqual({ triggerType: 'ManualRollback', triggerDetail: 'alice' });
    expect(rollback.rollbackMetadata).toEqual({
      rollbackTargetPipelineExecutionId: first.pipelineExecutionId,
      stageName: 'Deploy',
    });
    expect(statuses(rollback)).toEqual(['Source:Skipped', 'Deploy:Succeeded', 'Notify:Skipped']);
    expect(shipped(rollback)).toBe(shipped(first));
    expect(o.fakes.deployed).toEqual([shipped(first), shipped(second), shipped(first)]);
  });

  it('an OnSuccess ROLLBACK condition rolls the stage back to the latest success and fails the execution', async () => {
    // Prepare
    const guard = {
      onSuccess: { conditions: [{ result: 'ROLLBACK' as const, rules: [contentIs('NE', 'broken')] }] },
    };
    const o = await open(pipelineWith(guard), 'wait');
    const good = await o.run();
    o.fakes.content = 'broken';
    // Act
    const { executionId: bad } = await o.runtime.engine.start({ pipeline: 'cond' });
    const badView = await o.runtime.waitForExecution(bad);
    const rollback = await o.runtime.waitForExecution(automatedRollbackId(bad, 'Deploy', 0));
    // Assess
    expect(badView.status).toBe('Failed');
    expect(badView.statusSummary).toContain(`rolled back by execution ${rollback.pipelineExecutionId}`);
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      executionType: 'ROLLBACK',
      trigger: { triggerType: 'AutomatedRollback', triggerDetail: bad },
      rollbackMetadata: { rollbackTargetPipelineExecutionId: good.pipelineExecutionId, stageName: 'Deploy' },
    });
    const goodSha = good.stages[1]?.actions[0]?.attempts[0]?.inputArtifacts[0]?.sha256;
    expect(o.fakes.deployed).toEqual([goodSha, expect.any(String), goodSha]);
    expect(o.fakes.deployed[1]).not.toBe(goodSha);
  });

  it('refuses the source stage, PARALLEL pipelines and a stage that never succeeded', async () => {
    const o = await open(pipelineWith({}));
    const count = async () => (await o.runtime.store.listExecutions('cond')).executions.length;
    await expect(
      o.runtime.engine.rollbackStage('cond', { stageName: 'Deploy', actor: alice }),
    ).rejects.toThrow(/has not succeeded in any earlier standard execution/);
    await expect(
      o.runtime.engine.rollbackStage('cond', { stageName: 'Source', actor: alice }),
    ).rejects.toThrow(/source stage/);
    expect(await count()).toBe(0);
    const parallel = await open(pipelineWith({}, 'PARALLEL'));
    await parallel.run();
    await expect(
      parallel.runtime.engine.rollbackStage('cond', { stageName: 'Deploy', actor: alice }),
    ).rejects.toBeInstanceOf(ExecutionStateError);
  });
});
