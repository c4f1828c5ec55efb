import { ExecutionStateError } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
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
});
