import { pipelineStream, stageLockAcquired } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { describe, expect, it } from 'vitest';
import { readPipelineStream } from './pipeline-stream.ts';
import { pipelineDefinition, recordPipelineVersion } from './pipeline-versions.ts';
import { StageLocks } from './stage-locks.ts';
import { MemoryEventStore } from './testing/index.ts';

const AT = '2026-01-01T00:00:00.000Z';
const pipeline = testPipeline(
  [
    { name: 'Build', actions: [fakeAction('Make')] },
    { name: 'Deploy', actions: [fakeAction('Ship')] },
  ],
  { executionMode: 'SUPERSEDED' },
);

/** Runs `count` executions through both stages' locks; returns the items one more gate read. */
async function itemsReadByAGateAfter(count: number): Promise<number> {
  const store = new MemoryEventStore();
  const locks = new StageLocks(store, () => AT);
  for (let i = 0; i < count; i++) {
    for (const stageName of ['Build', 'Deploy']) {
      const request = { executionId: `e${i}`, stageName, stageAttempt: 0 };
      await locks.acquire(pipeline, { ...request, startedAt: AT });
      await locks.release(pipeline, { ...request, reason: 'Succeeded' });
    }
  }
  const before = store.itemsRead;
  const decision = await locks.acquire(pipeline, {
    executionId: 'new',
    stageName: 'Build',
    stageAttempt: 0,
    startedAt: AT,
  });
  expect(decision.kind).toBe('enter');
  return store.itemsRead - before;
}

/**
 * `old` waits for Deploy and `new` supersedes it there; then `count` executions pass Build. Returns
 * `old`'s next request for Deploy and the items that request read.
 */
async function supersededAskingAgainAfter(count: number) {
  const store = new MemoryEventStore();
  const locks = new StageLocks(store, () => AT);
  const deploy = (executionId: string, startedAt: string) =>
    locks.acquire(pipeline, { executionId, stageName: 'Deploy', stageAttempt: 0, startedAt });
  expect((await deploy('holder', AT)).kind).toBe('enter');
  await deploy('old', AT);
  await deploy('new', '2026-01-01T00:00:01.000Z');
  for (let i = 0; i < count; i++) {
    const request = { executionId: `e${i}`, stageName: 'Build', stageAttempt: 0 };
    await locks.acquire(pipeline, { ...request, startedAt: AT });
    await locks.release(pipeline, { ...request, reason: 'Succeeded' });
  }
  const before = store.itemsRead;
  const appends = store.appendCalls;
  const decision = await deploy('old', AT);
  expect(store.appendCalls).toBe(appends);
  return { decision, itemsRead: store.itemsRead - before };
}

describe('pipeline stream', () => {
  it('lets a gate read the same items after 5 executions and after 100', async () => {
    expect(await itemsReadByAGateAfter(100)).toBe(await itemsReadByAGateAfter(5));
    expect(await itemsReadByAGateAfter(5)).toBe(1);
  });

  it('answers a superseded execution that asks again from its record, at the same cost after 5 and 100 executions', async () => {
    const after5 = await supersededAskingAgainAfter(5);
    const after100 = await supersededAskingAgainAfter(100);
    expect(after100.decision).toEqual({ kind: 'superseded', by: 'new', events: [] });
    expect(after100.itemsRead).toBe(after5.itemsRead);
    expect(after5.itemsRead).toBe(2);
  });

  it('folds a stream written without snapshots from its first event, and stores one with the next append', async () => {
    // Prepare: a lock taken by an engine that stored no snapshot
    const store = new MemoryEventStore();
    const ref = {
      pipelineName: pipeline.name,
      at: AT,
      stageName: 'Deploy',
      pipelineExecutionId: 'old',
      stageAttempt: 0,
    };
    await store.append(pipelineStream(pipeline.name), [stageLockAcquired(ref)], { expectedVersion: 0 });
    // Act
    const first = await readPipelineStream(store, pipeline);
    const { version } = await recordPipelineVersion(store, pipeline, AT);
    // Assess
    expect(first.view.stageLocks.find((l) => l.stageName === 'Deploy')?.heldBy?.pipelineExecutionId).toBe(
      'old',
    );
    expect(first.lastHolders).toEqual({ Deploy: 'old' });
    const head = await store.head(pipelineStream(pipeline.name));
    expect(head.snapshot?.version).toBe(2);
    const again = await readPipelineStream(store, pipeline);
    expect(again).toEqual({
      ...first,
      view: { ...first.view, lastSeq: 2, pipelineVersion: version, created: AT, updated: AT },
      latest: again.latest,
    });
    expect(again.latest?.version).toBe(version);
  });

  it('reads a version of a definition by its id, and the latest from the snapshot', async () => {
    const store = new MemoryEventStore();
    await recordPipelineVersion(store, pipeline, AT);
    const changed = { ...pipeline, executionMode: 'QUEUED' as const };
    await recordPipelineVersion(store, changed, AT);
    const before = store.itemsRead;
    expect((await pipelineDefinition(store, pipeline.name, 1))?.executionMode).toBe('SUPERSEDED');
    expect((await pipelineDefinition(store, pipeline.name))?.executionMode).toBe('QUEUED');
    expect(store.itemsRead - before).toBeLessThanOrEqual(3);
    expect(await recordPipelineVersion(store, changed, AT)).toMatchObject({ version: 2, created: false });
  });
});
