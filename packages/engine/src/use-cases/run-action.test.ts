import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../action-provider.ts';
import { stageTask } from './gate.ts';
import { runAction } from './run-action.ts';
import { start } from './start.ts';
import {
  closeHarnesses,
  fakeProvider,
  runsUntilAborted,
  succeeds,
  useCaseHarness,
} from './use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }]);

afterEach(closeHarnesses);

async function entered(h: Awaited<ReturnType<typeof useCaseHarness>>): Promise<string> {
  const { executionId } = await start(h.ctx, { pipeline: 'p' });
  await stageTask(h.ctx, h.gate(executionId, 'Build'));
  return executionId;
}

type Progress = { actionExecutionId: string; state: Record<string, unknown> };

/** The progress a long wait's answer carries to the state machine's poll Task. */
function pollOf(answer: { kind: string; output?: unknown } | undefined): { progress: Progress } {
  if (answer?.kind !== 'success') throw new Error(`expected a success answer, got ${answer?.kind}`);
  return answer.output as { progress: Progress };
}

describe('runAction', () => {
  it('runs the attempt, records its success and answers the task with success', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const executionId = await entered(h);
    // Act
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    await h.ctx.runs.idle();
    // Assess
    expect((await h.types(executionId)).slice(-2)).toEqual(['ActionStarted', 'ActionSucceeded']);
    expect(h.orchestrator.answers.at(-1)).toMatchObject({
      token: h.action(executionId, 'Build', 'Make').taskToken,
      kind: 'success',
    });
  });

  it('records a provider that throws as a failed attempt and fails the task', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline, {
      providers: [
        fakeProvider(() => {
          throw new Error('provider crashed');
        }),
      ],
    });
    const executionId = await entered(h);
    // Act
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    await h.ctx.runs.idle();
    // Assess
    const failed = (await h.records(executionId)).at(-1);
    expect(failed?.type).toBe('ActionFailed');
    expect(JSON.stringify(failed?.data)).toContain('provider crashed');
    expect(h.orchestrator.answers.at(-1)).toMatchObject({
      kind: 'failure',
      error: 'Pipewright.ActionFailed',
    });
  });

  it('fails with ConfigurationError when no provider carries the action out', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline, { providers: [] });
    const executionId = await entered(h);
    // Act
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    await h.ctx.runs.idle();
    // Assess
    const failed = (await h.records(executionId)).at(-1);
    expect(failed?.type).toBe('ActionFailed');
    expect(JSON.stringify(failed?.data)).toContain('ConfigurationError');
  });

  it('answers a duplicate delivery of a finished action again without running it twice', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const executionId = await entered(h);
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    await h.ctx.runs.idle();
    const before = await h.types(executionId);
    // Act
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    await h.ctx.runs.idle();
    // Assess
    expect(h.runs).toHaveLength(1);
    expect(await h.types(executionId)).toEqual(before);
    const token = h.action(executionId, 'Build', 'Make').taskToken;
    expect(h.orchestrator.answers.filter((a) => a.token === token).map((a) => a.kind)).toEqual([
      'success',
      'success',
    ]);
  });

  it('aborts an attempt that outlives the action timeout', async () => {
    // Prepare
    const slow = testPipeline([
      { name: 'Build', actions: [fakeAction('Make', 'Build', { timeoutInMinutes: 0.0005 })] },
    ]);
    const h = await useCaseHarness(slow, {
      providers: [fakeProvider(runsUntilAborted)],
    });
    const executionId = await entered(h);
    // Act
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    await h.ctx.runs.idle();
    // Assess
    expect((await h.records(executionId)).at(-1)?.type).toBe('ActionFailed');
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ kind: 'failure' });
  });

  it('warns when the task timed out before the answer (the orchestrator says closed)', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const executionId = await entered(h);
    const payload = h.action(executionId, 'Build', 'Make');
    h.orchestrator.close(payload.taskToken);
    // Act
    await runAction(h.ctx, payload);
    await h.ctx.runs.idle();
    // Assess
    expect((await h.types(executionId)).at(-1)).toBe('ActionSucceeded');
    expect(h.warnings).toEqual([`the action task of ${executionId} had already closed`]);
  });

  it('reports an outcome it could not record through onRunError', async () => {
    // Prepare
    const errors: Error[] = [];
    const h = await useCaseHarness(pipeline, { overrides: { onRunError: (e) => errors.push(e) } });
    const executionId = await entered(h);
    await runAction(h.ctx, h.action(executionId, 'Build', 'Make'));
    // Act
    h.store.beforeAppend = () => {
      throw new Error('store down');
    };
    await h.ctx.runs.idle();
    // Assess
    expect(errors.map((e) => e.message)).toEqual(['store down']);
    expect(h.ctx.runs.ids().size).toBe(0);
  });

  it('answers a long wait in progress with its state, then polls the provider until it ends', async () => {
    // Prepare: a deployment that is in progress at the first call and done at the first poll.
    const h = await useCaseHarness(pipeline, {
      providers: [
        fakeProvider(
          (run): ActionOutcome =>
            run.progress === undefined
              ? { status: 'InProgress', state: { deploymentId: 'd-1' }, pollAfterSeconds: 15 }
              : succeeds(),
        ),
      ],
    });
    const executionId = await entered(h);
    const task = h.action(executionId, 'Build', 'Make');
    await runAction(h.ctx, task);
    await h.ctx.runs.idle();
    const waiting = h.orchestrator.answers.at(-1);
    const { progress } = pollOf(waiting);
    // Act: the state machine's Wait is over; its poll Task carries the progress back.
    await runAction(h.ctx, { ...task, progress });
    await h.ctx.runs.idle();
    // Assess
    expect(waiting).toMatchObject({ kind: 'success', output: { waitSeconds: 15 } });
    expect(progress.state).toEqual({ deploymentId: 'd-1' });
    expect(h.runs.map((r) => r.progress)).toEqual([undefined, { deploymentId: 'd-1' }]);
    expect(h.runs[1]?.inputs).toEqual([]);
    const types = await h.types(executionId);
    expect(types.filter((t) => t === 'ActionStarted')).toHaveLength(1);
    expect(types.at(-1)).toBe('ActionSucceeded');
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ kind: 'success' });
  });

  it('answers a duplicate poll of an attempt that already ended without asking the provider', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline, {
      providers: [
        fakeProvider(
          (run): ActionOutcome =>
            run.progress === undefined
              ? { status: 'InProgress', state: { n: 1 }, pollAfterSeconds: 5 }
              : succeeds(),
        ),
      ],
    });
    const executionId = await entered(h);
    const task = h.action(executionId, 'Build', 'Make');
    await runAction(h.ctx, task);
    await h.ctx.runs.idle();
    const { progress } = pollOf(h.orchestrator.answers.at(-1));
    await runAction(h.ctx, { ...task, progress });
    await h.ctx.runs.idle();
    const before = await h.types(executionId);
    // Act
    await runAction(h.ctx, { ...task, progress });
    await h.ctx.runs.idle();
    // Assess
    expect(h.runs).toHaveLength(2);
    expect(await h.types(executionId)).toEqual(before);
    expect(h.orchestrator.answers.at(-1)).toMatchObject({ kind: 'success' });
  });
});
