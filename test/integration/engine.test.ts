import {
  type EventRecord,
  executionStream,
  type Pipeline,
  parseEvent,
  type Stage,
  VariableResolutionError,
} from '@pipewright/core';
import {
  type ActionOutcome,
  type ActionProvider,
  type ActionRun,
  type ApprovalRequest,
  readExecution,
  recordApprovalDecision,
} from '@pipewright/engine';
import type { LocalRuntime } from '@pipewright/local';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { deferred } from '../support/deferred.ts';
import { openRuntimeWith, type TestRuntimeOptions } from '../support/local-runtimes.ts';
import { fakeAction as action, testPipeline } from '../support/pipelines.ts';
import { manualApprovals as approvals, FakeProvider, failed, SUCCEEDED } from '../support/test-providers.ts';

const cleanups = cleanupsAfter(afterEach);

const alice = { kind: 'user' as const, id: 'alice' };

function pipelineOf(stages: Stage[], variables: Pipeline['variables'] = []): Pipeline {
  return testPipeline(stages, { variables });
}

async function open(
  pipeline: Pipeline,
  providers: readonly ActionProvider[],
  options: Omit<TestRuntimeOptions, 'providers'> = {},
): Promise<LocalRuntime> {
  return (await openRuntimeWith(cleanups, 'pw-engine-', pipeline, { providers, ...options })).runtime;
}

/** Each stored record is exactly a valid event (nothing more in its data than the catalog says). */
function expectValidRecords(records: readonly EventRecord[]): void {
  for (const record of records) expect(parseEvent(record)).toEqual(record);
}

const APPROVAL_PIPELINE = pipelineOf([
  { name: 'Build', actions: [action('Make')] },
  { name: 'Approve', actions: [action('Release', 'Approval', { configuration: { CustomData: 'look' } })] },
  { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
]);

describe('Engine', () => {
  it('completes a waiting approval decided by another process, and the run succeeds', async () => {
    // Prepare
    const asked = deferred<ApprovalRequest>();
    const fake = new FakeProvider();
    const runtime = await open(APPROVAL_PIPELINE, [fake, approvals], {
      onApprovalRequested: (request) => asked.resolve(request),
    });
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    const request = await asked.promise;
    // Act
    await recordApprovalDecision(
      runtime.store,
      { executionId, approvalId: request.approvalId, status: 'Approved', summary: 'ok', actor: alice },
      new Date().toISOString(),
    );
    await runtime.engine.settle(executionId);
    const view = await runtime.waitForExecution(executionId);
    // Assess
    expect(request).toMatchObject({ stageName: 'Approve', actionName: 'Release', customData: 'look' });
    expect(view.status).toBe('Succeeded');
    expect(view.approvals).toMatchObject([
      { approvalId: request.approvalId, status: 'Approved', decidedBy: alice },
    ]);
    expect(fake.calls.get('Ship')).toBe(1);
    const read = await readExecution(runtime.store, executionId);
    expect(read.view).toEqual(await runtime.engine.view(executionId));
    expectValidRecords(read.records);
  });

  it('fails the run when the approval is rejected', async () => {
    // Prepare
    const asked = deferred<ApprovalRequest>();
    const fake = new FakeProvider();
    const runtime = await open(APPROVAL_PIPELINE, [fake, approvals], {
      failurePolicy: 'fail',
      onApprovalRequested: (request) => asked.resolve(request),
    });
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    await asked.promise;
    // Act
    await recordApprovalDecision(
      runtime.store,
      { executionId, status: 'Rejected', summary: 'not today', actor: alice },
      new Date().toISOString(),
    );
    await runtime.engine.settle(executionId);
    const view = await runtime.waitForExecution(executionId);
    // Assess
    expect(view.status).toBe('Failed');
    expect(view.endedAt).toBeDefined();
    const release = view.stages[1]?.actions[0];
    expect(release?.attempts[0]?.error).toEqual({
      code: 'ApprovalRejected',
      message: 'Rejected by alice: not today',
    });
    expect(view.stages[1]?.status).toBe('Failed');
    expect(fake.calls.get('Ship')).toBeUndefined();
    expect((await readExecution(runtime.store, executionId)).view).toEqual(
      await runtime.engine.view(executionId),
    );
  });

  it('lets a slow parallel action finish Succeeded when its sibling fails, and fails the stage', async () => {
    // Prepare
    const fastFailed = deferred<void>();
    let slowAborted: boolean | undefined;
    const fake = new FakeProvider({
      Fast: () => failed('boom'),
      Slow: async (run) => {
        await fastFailed.promise;
        await new Promise((r) => setTimeout(r, 50));
        slowAborted = run.signal.aborted;
        return SUCCEEDED;
      },
    });
    const pipeline = pipelineOf([{ name: 'Build', actions: [action('Fast'), action('Slow', 'Test')] }]);
    const runtime = await open(pipeline, [fake], {
      failurePolicy: 'fail',
      onEvents: (records) => {
        if (records.some((r) => r.type === 'ActionFailed')) fastFailed.resolve();
      },
    });
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    const view = await runtime.waitForExecution(executionId);
    // Assess
    const build = view.stages[0];
    expect(build?.status).toBe('Failed');
    expect(build?.actions.map((a) => [a.actionName, a.status])).toEqual([
      ['Fast', 'Failed'],
      ['Slow', 'Succeeded'],
    ]);
    expect(slowAborted).toBe(false);
    const { records } = await readExecution(runtime.store, executionId);
    const seqOf = (type: string, actionName?: string) =>
      records.find(
        (r) =>
          r.type === type &&
          (actionName === undefined || (r.data as { actionName?: string }).actionName === actionName),
      )?.seq ?? Number.NaN;
    expect(seqOf('ActionFailed', 'Fast')).toBeLessThan(seqOf('ActionSucceeded', 'Slow'));
    expect(seqOf('ActionSucceeded', 'Slow')).toBeLessThan(seqOf('StageFailed'));
    expect(view.status).toBe('Failed');
  });

  it('retries the failed actions once for OnFailure RETRY without running the succeeded ones again', async () => {
    // Prepare
    const fake = new FakeProvider({ Flaky: (_run, call) => (call === 1 ? failed('flaky') : SUCCEEDED) });
    const pipeline = pipelineOf([
      {
        name: 'Build',
        actions: [action('Stable'), action('Flaky', 'Test', { runOrder: 2 })],
        onFailure: { result: 'RETRY', retryConfiguration: { retryMode: 'FAILED_ACTIONS' } },
      },
      { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
    ]);
    const runtime = await open(pipeline, [fake], { failurePolicy: 'fail' });
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    const view = await runtime.waitForExecution(executionId);
    // Assess
    expect(view.status).toBe('Succeeded');
    expect(Object.fromEntries(fake.calls)).toEqual({ Stable: 1, Flaky: 2, Ship: 1 });
    const build = view.stages[0];
    expect(build?.retries).toMatchObject([{ stageAttempt: 1, retryMode: 'FAILED_ACTIONS', automatic: true }]);
    expect(build?.actions[1]?.attempts.map((a) => [a.stageAttempt, a.status])).toEqual([
      [0, 'Failed'],
      [1, 'Succeeded'],
    ]);
    const read = await readExecution(runtime.store, executionId);
    expect(read.view).toEqual(await runtime.engine.view(executionId));
    expectValidRecords(read.records);
  });

  it('passes variables given at start to the action', async () => {
    // Prepare
    const fake = new FakeProvider();
    const pipeline = pipelineOf(
      [
        {
          name: 'Build',
          actions: [action('Make', 'Build', { configuration: { Target: 'env-#{variables.ENV}' } })],
        },
      ],
      [{ name: 'ENV', defaultValue: 'dev' }],
    );
    const runtime = await open(pipeline, [fake]);
    // Act
    const { executionId } = await runtime.engine.start({ pipeline: 'p', variables: { ENV: 'prod' } });
    const view = await runtime.waitForExecution(executionId);
    // Assess
    expect(view.status).toBe('Succeeded');
    expect(fake.runs[0]?.action.configuration).toEqual({ Target: 'env-prod' });
    expect(fake.runs[0]?.variables['variables.ENV']).toBe('prod');
    expect(view.variables).toEqual([{ name: 'ENV', resolvedValue: 'prod' }]);
  });

  it('refuses an undeclared variable with VariableResolutionError and appends nothing', async () => {
    // Prepare
    const fake = new FakeProvider();
    const runtime = await open(pipelineOf([{ name: 'Build', actions: [action('Make')] }]), [fake]);
    // Act
    const start = runtime.engine.start({ pipeline: 'p', executionId: 'e-bad', variables: { NOPE: 'x' } });
    // Assess
    await expect(start).rejects.toBeInstanceOf(VariableResolutionError);
    expect(await runtime.store.read(executionStream('e-bad'))).toEqual([]);
    expect((await runtime.store.listExecutions('p')).executions).toEqual([]);
    expect(fake.calls.size).toBe(0);
  });
  it('completes an action that ended elsewhere exactly once, and only for the attempt that started it', async () => {
    // Prepare: Make starts work elsewhere (as a CodeBuild build in AWS) and waits.
    const started = deferred<ActionRun>();
    const fake = new FakeProvider({
      Make: (run) => {
        started.resolve(run);
        return { status: 'Waiting', summary: 'build b-1' };
      },
    });
    const pipeline = pipelineOf([
      { name: 'Build', actions: [action('Make')] },
      { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
    ]);
    const runtime = await open(pipeline, [fake]);
    const { executionId } = await runtime.engine.start({ pipeline: 'p' });
    const run = await started.promise;
    const ref = {
      stageName: 'Build',
      actionName: 'Make',
      stageAttempt: run.stageAttempt,
      attempt: run.attempt,
      actionExecutionId: run.actionExecutionId,
    };
    // Act: a stale attempt's completion, then the real one delivered twice.
    await runtime.engine.completeAction({
      pipeline: 'p',
      executionId,
      ref: { ...ref, actionExecutionId: 'someone-else' },
      outcome: { status: 'Failed', error: { type: 'JobFailed', message: 'stale' } },
    });
    const done: ActionOutcome = {
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: { BuildId: 'b-1' },
    };
    await runtime.engine.completeAction({ pipeline: 'p', executionId, ref, outcome: done });
    await runtime.engine.completeAction({ pipeline: 'p', executionId, ref, outcome: done });
    const view = await runtime.waitForExecution(executionId);
    // Assess
    expect(view.status).toBe('Succeeded');
    const make = view.stages[0]?.actions[0];
    expect(make?.attempts).toHaveLength(1);
    expect(make?.attempts[0]).toMatchObject({ status: 'Succeeded', outputVariables: { BuildId: 'b-1' } });
    const read = await readExecution(runtime.store, executionId);
    expect(
      read.records.filter((r) => r.type === 'ActionSucceeded' || r.type === 'ActionFailed'),
    ).toHaveLength(2);
    expect(fake.calls.get('Ship')).toBe(1);
  });
});
