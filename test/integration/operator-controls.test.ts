/**
 * Operator controls through a real local runtime (SQLite event log, the states runtime)
 * whose failed stages wait for a decision (failurePolicy `wait`, as `pipewright serve`):
 * retry a failed stage (FAILED_ACTIONS, ALL_ACTIONS) and disable / enable a stage's inbound
 * transition.
 */
import {
  type EventRecord,
  type ExecutionMode,
  ExecutionStateError,
  executionStream,
  type Pipeline,
  pipelineStream,
} from '@pipewright/core';
import type { LocalRuntime } from '@pipewright/local';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { openRuntimeWith } from '../support/local-runtimes.ts';
import { fakeAction as action, testPipeline } from '../support/pipelines.ts';
import { recordWaiter } from '../support/record-waiter.ts';
import { FakeProvider, failed, SUCCEEDED } from '../support/test-providers.ts';

const cleanups = cleanupsAfter(afterEach);

const alice = { kind: 'user' as const, id: 'alice' };

/** Source → Build (Stable and Flaky side by side) → Deploy. */
function pipelineIn(mode: ExecutionMode): Pipeline {
  return testPipeline(
    [
      { name: 'Source', actions: [action('Checkout', 'Source')] },
      { name: 'Build', actions: [action('Stable', 'Build'), action('Flaky', 'Test')] },
      { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
    ],
    { name: 'ops', executionMode: mode },
  );
}

interface Opened {
  runtime: LocalRuntime;
  fake: FakeProvider;
  /** Resolves once an appended record matches. */
  until(match: (r: EventRecord) => boolean): Promise<EventRecord>;
}

/** `Fake` actions: `Flaky` fails on its first call only, everything else succeeds; calls counted. */
async function open(mode: ExecutionMode = 'SUPERSEDED'): Promise<Opened> {
  const waiter = recordWaiter();
  const fake = new FakeProvider({ Flaky: (_run, call) => (call === 1 ? failed('flaky test') : SUCCEEDED) });
  const { runtime } = await openRuntimeWith(cleanups, 'pw-ops-', pipelineIn(mode), {
    providers: [fake],
    failurePolicy: 'wait',
    onEvents: waiter.onEvents,
  });
  return { runtime, fake, until: waiter.until };
}

const of = (executionId: string, type: string) => (r: EventRecord) =>
  r.type === type && r.stream === executionStream(executionId);

/** Starts an execution and resolves once its Build stage failed (Flaky's first call). */
async function failedInBuild(o: Opened): Promise<string> {
  const { executionId } = await o.runtime.engine.start({ pipeline: 'ops' });
  await o.until(of(executionId, 'StageFailed'));
  return executionId;
}

describe('Engine.retryStage', () => {
  it('FAILED_ACTIONS runs only the failed action again, and the execution succeeds', async () => {
    // Prepare
    const o = await open();
    const executionId = await failedInBuild(o);
    const failed = await o.runtime.engine.view(executionId);
    // Act
    const retried = await o.runtime.engine.retryStage(executionId, {
      stageName: 'Build',
      retryMode: 'FAILED_ACTIONS',
      actor: alice,
    });
    const view = await o.runtime.waitForExecution(executionId);
    // Assess
    expect(failed.status).toBe('Failed');
    expect(failed.endedAt).toBeUndefined();
    expect(retried.status).toBe('InProgress');
    expect(view.status).toBe('Succeeded');
    expect(Object.fromEntries(o.fake.calls)).toEqual({ Checkout: 1, Stable: 1, Flaky: 2, Ship: 1 });
    expect(view.stages[1]?.retries).toMatchObject([
      { stageAttempt: 1, retryMode: 'FAILED_ACTIONS', automatic: false, actor: alice },
    ]);
    expect(view.operatorActions).toMatchObject([
      { kind: 'RetryStageExecution', actor: alice, stageName: 'Build', retryMode: 'FAILED_ACTIONS' },
    ]);
    // SUPERSEDED: the failure released Build's lock; the retry took it again for attempt 1
    // (the state machine's $attempt then stays 1 for the later stages).
    const locks = (await o.runtime.store.read(pipelineStream('ops')))
      .filter((r) => r.type.startsWith('StageLock'))
      .map((r) => [
        r.type,
        (r.data as { stageName: string }).stageName,
        (r.data as { stageAttempt: number }).stageAttempt,
      ]);
    expect(locks).toEqual([
      ['StageLockAcquired', 'Source', 0],
      ['StageLockReleased', 'Source', 0],
      ['StageLockAcquired', 'Build', 0],
      ['StageLockReleased', 'Build', 0],
      ['StageLockAcquired', 'Build', 1],
      ['StageLockReleased', 'Build', 1],
      ['StageLockAcquired', 'Deploy', 1],
      ['StageLockReleased', 'Deploy', 1],
    ]);
  });

  it('ALL_ACTIONS runs every action of the stage again', async () => {
    const o = await open();
    const executionId = await failedInBuild(o);
    await o.runtime.engine.retryStage(executionId, {
      stageName: 'Build',
      retryMode: 'ALL_ACTIONS',
      actor: alice,
    });
    const view = await o.runtime.waitForExecution(executionId);
    expect(view.status).toBe('Succeeded');
    expect(Object.fromEntries(o.fake.calls)).toEqual({ Checkout: 1, Stable: 2, Flaky: 2, Ship: 1 });
    expect(view.stages[1]?.actions.map((a) => a.attempts.map((t) => [t.stageAttempt, t.status]))).toEqual([
      [
        [0, 'Succeeded'],
        [1, 'Succeeded'],
      ],
      [
        [0, 'Failed'],
        [1, 'Succeeded'],
      ],
    ]);
  });

  it('refuses a stage that is not failed, and an ended execution, with ExecutionStateError, appending nothing', async () => {
    // Prepare
    const o = await open('PARALLEL');
    const executionId = await failedInBuild(o);
    const count = async () => (await o.runtime.store.read(executionStream(executionId))).length;
    const before = await count();
    // Act
    const notFailed = o.runtime.engine.retryStage(executionId, {
      stageName: 'Deploy',
      retryMode: 'FAILED_ACTIONS',
      actor: alice,
    });
    // Assess
    await expect(notFailed).rejects.toBeInstanceOf(ExecutionStateError);
    await expect(notFailed).rejects.toThrow(/stage Deploy of execution .* is NotStarted, not Failed/);
    expect(await count()).toBe(before);
    // Once it succeeded, it ended: nothing to retry.
    await o.runtime.engine.retryStage(executionId, {
      stageName: 'Build',
      retryMode: 'FAILED_ACTIONS',
      actor: alice,
    });
    expect((await o.runtime.waitForExecution(executionId)).status).toBe('Succeeded');
    await expect(
      o.runtime.engine.retryStage(executionId, {
        stageName: 'Build',
        retryMode: 'ALL_ACTIONS',
        actor: alice,
      }),
    ).rejects.toThrow(/already ended \(Succeeded\)/);
  });

  it('SUPERSEDED: refuses once a newer execution entered the failed stage', async () => {
    // Prepare: A fails in Build; B (Flaky's second call succeeds) goes through Build.
    const o = await open();
    const a = await failedInBuild(o);
    const { executionId: b } = await o.runtime.engine.start({ pipeline: 'ops' });
    await o.runtime.waitForExecution(b);
    // Act
    const retry = o.runtime.engine.retryStage(a, {
      stageName: 'Build',
      retryMode: 'FAILED_ACTIONS',
      actor: alice,
    });
    // Assess
    await expect(retry).rejects.toBeInstanceOf(ExecutionStateError);
    await expect(retry).rejects.toThrow(/entered stage Build after .* no longer retryable/);
    expect((await o.runtime.engine.view(b)).status).toBe('Succeeded');
    expect((await o.runtime.engine.view(a)).status).toBe('Failed');
  });
});

describe('Engine.disableTransition / enableTransition', () => {
  it('holds an execution at the disabled Deploy transition, and lets it enter once enabled', async () => {
    // Prepare
    const o = await open('PARALLEL');
    o.fake.calls.set('Flaky', 1); // Flaky succeeds from now on
    const disabled = await o.runtime.engine.disableTransition('ops', {
      stageName: 'Deploy',
      reason: 'release freeze',
      actor: alice,
      requestId: 'req-1',
    });
    // Act
    const { executionId } = await o.runtime.engine.start({ pipeline: 'ops' });
    await o.until(of(executionId, 'StageWaiting'));
    const waiting = await o.runtime.engine.view(executionId);
    const shippedWhileDisabled = o.fake.calls.get('Ship');
    const enabled = await o.runtime.engine.enableTransition('ops', {
      stageName: 'Deploy',
      actor: alice,
      requestId: 'req-2',
    });
    const view = await o.runtime.waitForExecution(executionId);
    // Assess
    expect(disabled).toMatchObject({
      enabled: false,
      disabledReason: 'release freeze',
      lastChangedBy: 'alice',
    });
    expect(waiting.status).toBe('InProgress');
    expect(waiting.stages[2]).toMatchObject({
      status: 'NotStarted',
      waiting: { gate: 'Transition', reason: 'release freeze' },
    });
    expect(shippedWhileDisabled).toBeUndefined();
    expect(enabled).toMatchObject({ enabled: true, lastChangedBy: 'alice' });
    expect(view.status).toBe('Succeeded');
    expect(o.fake.calls.get('Ship')).toBe(1);
    const transitions = (await o.runtime.store.read(pipelineStream('ops')))
      .filter((r) => r.type.startsWith('Transition'))
      .map((r) => [r.type, r.actor?.id, (r.data as { requestId: string }).requestId]);
    expect(transitions).toEqual([
      ['TransitionDisabled', 'alice', 'req-1'],
      ['TransitionEnabled', 'alice', 'req-2'],
    ]);
  });

  it('SUPERSEDED: a newer execution at the disabled transition supersedes the older; on enable it enters', async () => {
    // Prepare
    const o = await open('SUPERSEDED');
    o.fake.calls.set('Flaky', 1);
    await o.runtime.engine.disableTransition('ops', {
      stageName: 'Deploy',
      reason: 'freeze',
      actor: alice,
      requestId: 'r1',
    });
    const { executionId: older } = await o.runtime.engine.start({ pipeline: 'ops' });
    await o.until(of(older, 'StageWaiting'));
    const { executionId: newer } = await o.runtime.engine.start({ pipeline: 'ops' });
    await o.until(of(newer, 'StageWaiting'));
    // Act
    await o.runtime.engine.enableTransition('ops', { stageName: 'Deploy', actor: alice, requestId: 'r2' });
    const view = await o.runtime.waitForExecution(newer);
    // Assess
    const olderView = await o.runtime.engine.view(older);
    expect(olderView.status).toBe('Superseded');
    expect(olderView.supersededBy).toBe(newer);
    expect(olderView.stages[2]?.status).toBe('NotStarted');
    expect(view.status).toBe('Succeeded');
    expect(o.fake.calls.get('Ship')).toBe(1);
  });

  it('refuses a disable without a reason and an unknown stage with ExecutionStateError', async () => {
    const o = await open();
    await expect(
      o.runtime.engine.disableTransition('ops', {
        stageName: 'Deploy',
        reason: ' ',
        actor: alice,
        requestId: 'r',
      }),
    ).rejects.toThrow(/a reason of 1 to 300 characters is required/);
    await expect(
      o.runtime.engine.enableTransition('ops', { stageName: 'Nope', actor: alice, requestId: 'r' }),
    ).rejects.toBeInstanceOf(ExecutionStateError);
    expect(await o.runtime.store.read(pipelineStream('ops'))).toHaveLength(1); // PipelineVersionCreated only
  });
});
