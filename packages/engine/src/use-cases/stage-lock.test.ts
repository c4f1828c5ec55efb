import {
  executionStream,
  foldExecution,
  foldPipelineStream,
  parseStoredEvent,
  pipelineStream,
} from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { StageLocks } from '../stage-locks.ts';
import { stageTask } from './gate.ts';
import { start } from './start.ts';
import { closeHarnesses, type UseCaseHarness, useCaseHarness } from './use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }], {
  executionMode: 'SUPERSEDED',
});

afterEach(closeHarnesses);

/**
 * Runs `older`'s gate for Build, which finds the stage held and queues, and lets another
 * process (its own `StageLocks` on the same store) decide `elsewhere` just before the gate
 * records StageWaiting: the gate's second look at the lock comes after those decisions.
 */
async function gateWhileAnotherProcessDecides(
  h: UseCaseHarness,
  older: string,
  elsewhere: (locks: StageLocks) => Promise<void>,
): Promise<void> {
  const locks = new StageLocks(h.store, () => h.ctx.log.at());
  h.store.beforeAppend = async (stream, events) => {
    if (stream !== executionStream(older) || events[0]?.type !== 'StageWaiting') return;
    h.store.beforeAppend = undefined;
    await elsewhere(locks);
  };
  await stageTask(h.ctx, h.gate(older, 'Build'));
}

const inBuild = (executionId: string, startedAt: string) => ({
  executionId,
  stageName: 'Build',
  stageAttempt: 0,
  startedAt,
});

async function pipelineRecords(h: UseCaseHarness) {
  return h.store.read(pipelineStream(pipeline.name));
}

async function statusOf(h: UseCaseHarness, executionId: string) {
  return foldExecution((await h.records(executionId)).map((r) => parseStoredEvent(r))).status;
}

describe('passLock (SUPERSEDED)', () => {
  it('a superseded execution never supersedes the newer one that replaced it (same-millisecond starts)', async () => {
    // Prepare: three executions started in the same millisecond; the first holds Build.
    const at = new Date(Date.UTC(2026, 0, 1));
    const h = await useCaseHarness(pipeline, { overrides: { now: () => at } });
    const holder = (await start(h.ctx, { pipeline: 'p' })).executionId;
    const older = (await start(h.ctx, { pipeline: 'p' })).executionId;
    const newer = (await start(h.ctx, { pipeline: 'p' })).executionId;
    await stageTask(h.ctx, h.gate(holder, 'Build'));
    // Act: the newer execution's gate (another process) replaces the older one in the queue.
    await gateWhileAnotherProcessDecides(h, older, async (locks) => {
      const d = await locks.acquire(pipeline, inBuild(newer, at.toISOString()));
      expect(d).toMatchObject({ kind: 'wait', superseded: [older] });
    });
    // Assess: the older one ends Superseded by the newer one, which still waits in front of Build.
    const superseded = (await pipelineRecords(h)).filter((r) => r.type === 'InboundExecutionSuperseded');
    expect(superseded.map((r) => (r.data as { pipelineExecutionId: string }).pipelineExecutionId)).toEqual([
      older,
    ]);
    expect(await statusOf(h, older)).toBe('Superseded');
    expect(await statusOf(h, newer)).not.toBe('Superseded');
    const lock = foldPipelineStream(
      pipeline,
      (await pipelineRecords(h)).map((r) => parseStoredEvent(r)),
    ).stageLocks.find((l) => l.stageName === 'Build');
    expect(lock?.queue.map((q) => q.pipelineExecutionId)).toEqual([newer]);
    expect(h.orchestrator.stopped.map((s) => s.executionId)).toEqual([older]);
  });

  it('a superseded execution never takes a lock that fell free after it was replaced', async () => {
    // Prepare: the first execution holds Build, the second waits in front of it.
    const h = await useCaseHarness(pipeline);
    const holder = (await start(h.ctx, { pipeline: 'p' })).executionId;
    const older = (await start(h.ctx, { pipeline: 'p' })).executionId;
    const newer = (await start(h.ctx, { pipeline: 'p' })).executionId;
    await stageTask(h.ctx, h.gate(holder, 'Build'));
    const newerStart = (await h.view(newer)).startedAt ?? '';
    const gate = h.gate(older, 'Build');
    // Act: elsewhere, the newer execution replaces it, enters Build once the holder left, and leaves.
    await gateWhileAnotherProcessDecides(h, older, async (locks) => {
      const released = { stageName: 'Build', stageAttempt: 0, reason: 'Succeeded' };
      expect(await locks.acquire(pipeline, inBuild(newer, newerStart))).toMatchObject({
        superseded: [older],
      });
      expect(await locks.release(pipeline, { executionId: holder, ...released })).toBe(newer);
      expect(await locks.acquire(pipeline, inBuild(newer, newerStart))).toMatchObject({ kind: 'enter' });
      await locks.release(pipeline, { executionId: newer, ...released });
    });
    // Assess: the superseded execution neither holds Build nor enters it.
    const records = await pipelineRecords(h);
    const lock = foldPipelineStream(
      pipeline,
      records.map((r) => parseStoredEvent(r)),
    ).stageLocks.find((l) => l.stageName === 'Build');
    expect(lock?.heldBy).toBeUndefined();
    expect(
      records.filter(
        (r) =>
          r.type === 'StageLockAcquired' &&
          (r.data as { pipelineExecutionId: string }).pipelineExecutionId === older,
      ),
    ).toEqual([]);
    expect(h.orchestrator.answers.filter((a) => a.token === gate.taskToken)).toEqual([]);
    expect(await h.types(older)).not.toContain('StageStarted');
    expect(await statusOf(h, older)).toBe('Superseded');
  });
});
