import { ExecutionStateError } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionCancelRequest, ActionProvider } from '../action-provider.ts';
import { stageTask } from './gate.ts';
import { runAction } from './run-action.ts';
import { start } from './start.ts';
import { stop } from './stop.ts';
import { closeHarnesses, fakeProvider, runsUntilAborted, useCaseHarness } from './use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }]);
const alice = { kind: 'user', id: 'alice' } as const;

afterEach(closeHarnesses);

const hangs = fakeProvider(runsUntilAborted);

describe('stop', () => {
  it('abandons the running action, stops the state machine and records ExecutionStopped', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline, { providers: [hangs] });
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await stageTask(h.ctx, h.gate(executionId, 'Build'));
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    // Act
    const view = await stop(h.ctx, executionId, { abandon: true, reason: 'wrong branch', actor: alice });
    // Assess
    expect(view.status).toBe('Stopped');
    expect(h.ctx.runs.ids().size).toBe(0);
    expect(h.orchestrator.stopped).toEqual([
      { executionId, error: 'Pipewright.Stopped', cause: 'wrong branch' },
    ]);
    expect(await h.types(executionId)).toContain('ExecutionStopping');
    expect((await h.types(executionId)).at(-1)).toBe('ExecutionStopped');
  });

  it('refuses to stop an execution that already ended, recording nothing', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await stop(h.ctx, executionId, { abandon: true, actor: alice });
    const before = await h.types(executionId);
    // Act
    const again = stop(h.ctx, executionId, { abandon: true, actor: alice });
    // Assess
    await expect(again).rejects.toBeInstanceOf(ExecutionStateError);
    expect(await h.types(executionId)).toEqual(before);
  });

  it('asks the provider of an action abandoned during its long wait to cancel what it started', async () => {
    // Prepare: a deployment in progress, waited by the state machine (no run in this process).
    const cancels: ActionCancelRequest[] = [];
    const deploys: ActionProvider = {
      ...fakeProvider(() => ({
        status: 'InProgress',
        state: { deploymentId: 'd-1' },
        pollAfterSeconds: 15,
        externalExecutionId: 'd-1',
      })),
      cancel: async (request) => {
        cancels.push(request);
      },
    };
    const h = await useCaseHarness(pipeline, { providers: [deploys] });
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await stageTask(h.ctx, h.gate(executionId, 'Build'));
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    await h.ctx.runs.idle();
    // Act
    const view = await stop(h.ctx, executionId, { abandon: true, reason: 'bad build', actor: alice });
    // Assess
    expect(view.status).toBe('Stopped');
    expect(cancels).toEqual([
      expect.objectContaining({ executionId, stage: 'Build', externalExecutionId: 'd-1' }),
    ]);
    expect(cancels[0]?.action.name).toBe('Make');
  });

  it('warns, and still stops, when the provider cannot cancel', async () => {
    // Prepare
    const deploys: ActionProvider = {
      ...fakeProvider(() => ({ status: 'InProgress', state: {}, pollAfterSeconds: 15 })),
      cancel: async () => {
        throw new Error('AccessDenied');
      },
    };
    const h = await useCaseHarness(pipeline, { providers: [deploys] });
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await stageTask(h.ctx, h.gate(executionId, 'Build'));
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    await h.ctx.runs.idle();
    // Act
    const view = await stop(h.ctx, executionId, { abandon: true, actor: alice });
    // Assess
    expect(view.status).toBe('Stopped');
    expect(h.warnings.join('\n')).toMatch(
      /could not cancel what Build\/Make started .*AccessDenied; stop it in AWS/,
    );
  });
});
