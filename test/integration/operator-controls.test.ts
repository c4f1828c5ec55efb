/**
 * Operator controls through a real local runtime (SQLite event log, the states runtime)
 * whose failed stages wait for a decision (failurePolicy `wait`, as `pipewright serve`):
 * retry a failed stage (FAILED_ACTIONS, ALL_ACTIONS) and disable / enable a stage's inbound
 * transition.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Action,
  type ActionCategory,
  type EventRecord,
  type ExecutionMode,
  ExecutionStateError,
  executionStream,
  type Pipeline,
  pipelineStream,
} from '@pipewright/core';
import type { ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';
import { type LocalRuntime, openLocalRuntime } from '@pipewright/local';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
const runtimes: LocalRuntime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const alice = { kind: 'user' as const, id: 'alice' };
const SUCCEEDED: ActionOutcome = { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };

/** `Fake` actions: `Flaky` fails on its first call only, everything else succeeds; calls counted. */
class FakeProvider implements ActionProvider {
  readonly categories: readonly ActionCategory[] = ['Source', 'Build', 'Test', 'Deploy'];
  readonly provider = 'Fake';
  readonly calls = new Map<string, number>();

  async run(run: ActionRun): Promise<ActionOutcome> {
    const call = (this.calls.get(run.action.name) ?? 0) + 1;
    this.calls.set(run.action.name, call);
    if (run.action.name === 'Flaky' && call === 1) {
      return { status: 'Failed', error: { type: 'JobFailed', message: 'flaky test' } };
    }
    return SUCCEEDED;
  }
}

function action(name: string, category: ActionCategory): Action {
  return {
    name,
    actionTypeId: { category, owner: 'AWS', provider: 'Fake', version: '1' },
    runOrder: 1,
    configuration: {},
    inputArtifacts: [],
    outputArtifacts: [],
  };
}

/** Source → Build (Stable and Flaky side by side) → Deploy. */
function pipelineIn(mode: ExecutionMode): Pipeline {
  return {
    name: 'ops',
    executionMode: mode,
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages: [
      { name: 'Source', actions: [action('Checkout', 'Source')] },
      { name: 'Build', actions: [action('Stable', 'Build'), action('Flaky', 'Test')] },
      { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
    ],
  };
}

interface Opened {
  runtime: LocalRuntime;
  fake: FakeProvider;
  /** Resolves once an appended record matches. */
  until(match: (r: EventRecord) => boolean): Promise<EventRecord>;
}

async function open(mode: ExecutionMode = 'SUPERSEDED'): Promise<Opened> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-ops-'));
  dirs.push(dir);
  const seen: EventRecord[] = [];
  const waiters: { match: (r: EventRecord) => boolean; resolve: (r: EventRecord) => void }[] = [];
  const fake = new FakeProvider();
  const runtime = await openLocalRuntime({
    stateDir: join(dir, '.pipewright'),
    providers: [fake],
    failurePolicy: 'wait',
    onEvents: (records) => {
      seen.push(...records);
      for (const w of [...waiters]) {
        const found = records.find(w.match);
        if (found !== undefined) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(found);
        }
      }
    },
  });
  runtimes.push(runtime);
  await runtime.addPipeline(pipelineIn(mode), dir);
  return {
    runtime,
    fake,
    until: (match) => {
      const found = seen.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
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
