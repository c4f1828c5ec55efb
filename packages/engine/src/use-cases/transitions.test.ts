import { ExecutionStateError } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { stageTask } from './gate.ts';
import { start } from './start.ts';
import { disableTransition, enableTransition } from './transitions.ts';
import { closeHarnesses, useCaseHarness } from './use-cases.test-helper.ts';

const pipeline = testPipeline([
  { name: 'Build', actions: [fakeAction('Make')] },
  { name: 'Deploy', actions: [fakeAction('Ship')] },
]);
const alice = { kind: 'user', id: 'alice' } as const;

afterEach(closeHarnesses);

describe('disableTransition and enableTransition', () => {
  it('holds a gate at a disabled transition and lets it enter when enabled', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    await disableTransition(h.ctx, 'p', {
      stageName: 'Deploy',
      reason: 'freeze',
      actor: alice,
      requestId: 'r-1',
    });
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    const gate = h.gate(executionId, 'Deploy');
    // Act
    await stageTask(h.ctx, gate);
    const waited = h.orchestrator.answers.some((a) => a.token === gate.taskToken);
    const state = await enableTransition(h.ctx, 'p', { stageName: 'Deploy', actor: alice, requestId: 'r-2' });
    // Assess
    expect(waited).toBe(false);
    expect(await h.types(executionId)).toContain('StageWaiting');
    expect(state.enabled).toBe(true);
    expect(h.orchestrator.answers.at(-1)).toMatchObject({
      token: gate.taskToken,
      output: { decision: 'ENTER' },
    });
  });

  it('records a repeated request once (same request id)', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const input = { stageName: 'Deploy', reason: 'freeze', actor: alice, requestId: 'r-1' };
    // Act
    await disableTransition(h.ctx, 'p', input);
    await disableTransition(h.ctx, 'p', input);
    // Assess
    const types = (await h.store.read('pipeline-p')).map((r) => r.type);
    expect(types.filter((t) => t === 'TransitionDisabled')).toHaveLength(1);
  });

  it('refuses an unknown stage', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    // Act
    const disabled = disableTransition(h.ctx, 'p', {
      stageName: 'Nope',
      reason: 'x',
      actor: alice,
      requestId: 'r',
    });
    // Assess
    await expect(disabled).rejects.toBeInstanceOf(ExecutionStateError);
  });
});
