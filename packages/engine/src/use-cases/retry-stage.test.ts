import { ExecutionStateError } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { stageTask } from './gate.ts';
import { retryStage } from './retry-stage.ts';
import { runAction } from './run-action.ts';
import { start } from './start.ts';
import {
  closeHarnesses,
  fakeProvider,
  type UseCaseHarness,
  useCaseHarness,
} from './use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }]);
const alice = { kind: 'user', id: 'alice' } as const;

afterEach(closeHarnesses);

/** An execution whose Build stage failed and waits for a decision (policy `wait`). */
async function failedStage(): Promise<{ h: UseCaseHarness; executionId: string }> {
  const h = await useCaseHarness(pipeline, {
    providers: [fakeProvider(() => ({ status: 'Failed', error: { type: 'JobFailed', message: 'exit 1' } }))],
  });
  const { executionId } = await start(h.ctx, { pipeline: 'p' });
  await stageTask(h.ctx, h.gate(executionId, 'Build'));
  await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
  await h.ctx.runs.idle();
  await stageTask(h.ctx, h.stageFailed(executionId, 'Build'));
  return { h, executionId };
}

describe('retryStage', () => {
  it('records StageRetried and answers the waiting stage-failure task', async () => {
    // Prepare
    const { h, executionId } = await failedStage();
    const failedTask = h.stageFailed(executionId, 'Build').taskToken;
    // Act
    await retryStage(h.ctx, executionId, { stageName: 'Build', retryMode: 'FAILED_ACTIONS', actor: alice });
    // Assess
    expect((await h.types(executionId)).at(-1)).toBe('StageRetried');
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ token: failedTask, kind: 'success' });
  });

  it('refuses when the stage-failure task is no longer open here (timed out, or held by another server)', async () => {
    // Prepare
    const { h, executionId } = await failedStage();
    await h.tokens.delete(h.stageFailed(executionId, 'Build').taskToken);
    const before = await h.types(executionId);
    // Act
    const retried = retryStage(h.ctx, executionId, {
      stageName: 'Build',
      retryMode: 'ALL_ACTIONS',
      actor: alice,
    });
    // Assess
    await expect(retried).rejects.toBeInstanceOf(ExecutionStateError);
    expect(await h.types(executionId)).toEqual(before);
  });

  it('refuses a stage that did not fail', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    // Act
    const retried = retryStage(h.ctx, executionId, {
      stageName: 'Build',
      retryMode: 'ALL_ACTIONS',
      actor: alice,
    });
    // Assess
    await expect(retried).rejects.toBeInstanceOf(ExecutionStateError);
  });
});
