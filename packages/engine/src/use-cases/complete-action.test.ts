import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { completeAction } from './complete-action.ts';
import { stageTask } from './gate.ts';
import { runAction } from './run-action.ts';
import { start } from './start.ts';
import {
  closeHarnesses,
  fakeProvider,
  succeeds,
  type UseCaseHarness,
  useCaseHarness,
} from './use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }]);
const done = succeeds();

afterEach(closeHarnesses);

/** An action whose build was started and completes later, elsewhere (CodeBuild in AWS). */
async function startedElsewhere(): Promise<{ h: UseCaseHarness; executionId: string }> {
  const h = await useCaseHarness(pipeline, {
    providers: [fakeProvider(() => ({ status: 'Waiting' }))],
    overrides: { inProgressRunsElsewhere: true },
  });
  const { executionId } = await start(h.ctx, { pipeline: 'p' });
  await stageTask(h.ctx, h.gate(executionId, 'Build'));
  await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
  await h.ctx.runs.idle();
  return { h, executionId };
}

async function refOf(h: UseCaseHarness, executionId: string) {
  const attempt = (await h.view(executionId)).stages[0]?.actions[0]?.attempts.at(-1);
  if (attempt === undefined) throw new Error('the action has no attempt; start it first');
  return { stageName: 'Build', actionName: 'Make', ...attempt };
}

describe('completeAction', () => {
  it('records the outcome of the attempt that started the work and answers its task', async () => {
    // Prepare
    const { h, executionId } = await startedElsewhere();
    const ref = await refOf(h, executionId);
    // Act
    await completeAction(h.ctx.log, { pipeline: 'p', executionId, ref, outcome: done });
    // Assess
    expect((await h.types(executionId)).at(-1)).toBe('ActionSucceeded');
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ kind: 'success' });
  });

  it('changes nothing on a duplicate delivery of the completion', async () => {
    // Prepare
    const { h, executionId } = await startedElsewhere();
    const ref = await refOf(h, executionId);
    await completeAction(h.ctx.log, { pipeline: 'p', executionId, ref, outcome: done });
    const before = await h.types(executionId);
    // Act
    await completeAction(h.ctx.log, { pipeline: 'p', executionId, ref, outcome: done });
    // Assess
    expect(await h.types(executionId)).toEqual(before);
  });

  it('ignores a stale completion from an attempt that did not start the work', async () => {
    // Prepare
    const { h, executionId } = await startedElsewhere();
    const ref = { ...(await refOf(h, executionId)), actionExecutionId: 'an-older-build' };
    const before = await h.types(executionId);
    // Act
    await completeAction(h.ctx.log, { pipeline: 'p', executionId, ref, outcome: done });
    // Assess
    expect(await h.types(executionId)).toEqual(before);
    expect(h.orchestrator.answers.filter((a) => a.token.includes('/action/'))).toEqual([]);
  });
});
