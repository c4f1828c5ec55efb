import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { finish, stageTask } from './gate.ts';
import { recordOrchestratorEnd } from './orchestrator-end.ts';
import { start } from './start.ts';
import { closeHarnesses, useCaseHarness } from './use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }]);

afterEach(closeHarnesses);

describe('stageTask and finish', () => {
  it('enters the stage once, and answers a redelivered gate the same without a second event', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await stageTask(h.ctx, h.gate(executionId, 'Build'));
    const before = await h.types(executionId);
    // Act
    await stageTask(h.ctx, h.gate(executionId, 'Build'));
    // Assess
    expect(await h.types(executionId)).toEqual(before);
    const answers = h.orchestrator.answers.filter((a) => a.kind === 'success').map((a) => a.output);
    expect(answers).toEqual([{ decision: 'ENTER' }, { decision: 'ENTER' }]);
  });

  it('records the end once on a finish task delivered twice', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    const payload = { kind: 'finish', pipeline: 'p', executionId, attempt: 0 } as const;
    // Act
    await finish(h.ctx, payload);
    const again = await finish(h.ctx, payload);
    // Assess
    expect(again).toEqual({});
    expect((await h.types(executionId)).filter((t) => t === 'ExecutionSucceeded')).toHaveLength(1);
  });

  it('fails the stage with policy fail: the stage-failure task is answered', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline, { overrides: { failurePolicy: 'fail' } });
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await stageTask(h.ctx, h.gate(executionId, 'Build'));
    const payload = h.stageFailed(executionId, 'Build');
    // Act
    await stageTask(h.ctx, payload);
    // Assess
    expect(await h.types(executionId)).toContain('StageFailed');
    expect(h.orchestrator.answers.at(-1)?.token).toBe(payload.taskToken);
  });
});

describe('recordOrchestratorEnd', () => {
  it('records a state machine that timed out as failed, once for duplicate deliveries', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    // Act
    await recordOrchestratorEnd(h.ctx, executionId, { status: 'TIMED_OUT' });
    const view = await recordOrchestratorEnd(h.ctx, executionId, { status: 'TIMED_OUT' });
    // Assess
    expect(view.status).toBe('Failed');
    expect((await h.types(executionId)).filter((t) => t === 'ExecutionFailed')).toHaveLength(1);
  });
});
