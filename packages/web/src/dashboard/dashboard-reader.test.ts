import { type EventStore, pipelineStream, transitionDisabled, triggerReceived } from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { closeWebHarnesses, openWebHarness, PIPELINE } from '../web-harness.test-helper.ts';
import { DashboardReader } from './dashboard-reader.ts';

afterEach(closeWebHarnesses);

/** Counts the store's reads (`stream@fromSeq`) and listings. */
function counted(store: EventStore): { store: EventStore; reads: string[]; lists: number } {
  const out = {
    reads: [] as string[],
    lists: 0,
    store: {
      append: store.append.bind(store),
      version: store.version.bind(store),
      close: store.close.bind(store),
      read: (stream: string, options?: { fromSeq?: number; limit?: number }) => {
        out.reads.push(`${stream}@${options?.fromSeq ?? 1}`);
        return store.read(stream, options);
      },
      listExecutions: (pipeline: string, options?: { limit?: number; cursor?: string }) => {
        out.lists++;
        return store.listExecutions(pipeline, options);
      },
    } as EventStore,
  };
  return out;
}

describe('DashboardReader', () => {
  it('folds an execution exactly as readExecution does, reading only the events after the last one folded', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution({ DEPLOY_ENV: 'qa' });
    await h.approvalRequested(executionId);
    const c = counted(h.runtime.store);
    const reader = new DashboardReader({ store: c.store, pipelines: h.deps.pipelines }, { heard: false });

    // Act
    const waiting = await reader.view(executionId);
    const waitingSeq = waiting.lastSeq;
    await h.api(`/api/executions/${executionId}/approvals`, { json: { status: 'Approved' } });
    await h.runtime.waitForExecution(executionId);
    const ended = await reader.view(executionId);

    // Assess
    expect(waiting.status).toBe('InProgress');
    expect(ended).toEqual((await readExecution(h.runtime.store, executionId)).view);
    const own = c.reads.filter((r) => r.startsWith(`execution-${executionId}@`));
    expect(own).toEqual([`execution-${executionId}@1`, `execution-${executionId}@${waitingSeq + 1}`]);
  });

  it('does not read a view again while no append to its stream is heard, and reads on once one is', async () => {
    // Prepare
    const h = await openWebHarness();
    const executionId = await h.startExecution();
    await h.approvalRequested(executionId);
    const c = counted(h.runtime.store);
    const reader = new DashboardReader({ store: c.store, pipelines: h.deps.pipelines }, { heard: true });
    h.runtime.changes.subscribe((records) => reader.noteAppended(records));
    await reader.view(executionId);
    const readsAfterFirst = c.reads.length;

    // Act
    await reader.view(executionId);
    const other = await h.startExecution();
    await h.approvalRequested(other);
    await reader.view(executionId);
    const quiet = c.reads.length;
    await h.api(`/api/executions/${executionId}/approvals`, { json: { status: 'Rejected' } });
    await h.runtime.waitForExecution(executionId);
    const final = await reader.view(executionId);

    // Assess
    expect(quiet).toBe(readsAfterFirst);
    expect(c.reads.length).toBe(quiet + 1);
    expect(final).toEqual((await readExecution(h.runtime.store, executionId)).view);
    expect(final.status).toBe('Failed');
  });

  it('lists executions newest first, adding the ones it hears start without listing again', async () => {
    // Prepare
    const h = await openWebHarness();
    const first = await h.startExecution();
    const c = counted(h.runtime.store);
    const reader = new DashboardReader({ store: c.store, pipelines: h.deps.pipelines }, { heard: true });
    h.runtime.changes.subscribe((records) => reader.noteAppended(records));
    await reader.executions(PIPELINE);
    const listed = c.lists;

    // Act
    const second = await h.startExecution();
    const third = await h.startExecution();
    const { entries, more } = await reader.executions(PIPELINE, 2);

    // Assess
    expect(entries.map((e) => e.executionId)).toEqual([third, second]);
    expect(more).toBe(true);
    expect(c.lists).toBe(listed);
    expect((await reader.executions(PIPELINE)).entries.map((e) => e.executionId)).toEqual(
      (await h.runtime.store.listExecutions(PIPELINE)).executions.map((e) => e.executionId),
    );
    expect(reader.pipelineOf(first)).toBe(PIPELINE);
  });

  it("folds the pipeline's own stream: every trigger received and the transitions", async () => {
    // Prepare
    const h = await openWebHarness();
    const at = new Date().toISOString();
    const reader = new DashboardReader(
      { store: h.runtime.store, pipelines: h.deps.pipelines },
      { heard: false },
    );
    const append = (event: Parameters<EventStore['append']>[1][number]) =>
      h.runtime.store.append(pipelineStream(PIPELINE), [event], { expectedVersion: 'any' });
    for (let i = 1; i <= 30; i++) {
      await append(
        triggerReceived({
          pipelineName: PIPELINE,
          at,
          triggerId: `d-${i}`,
          trigger: { triggerType: 'WebhookV2', triggerDetail: 'github:acme/web@refs/heads/x' },
          matched: false,
          reason: `branch x is not included (${i})`,
        }),
      );
    }
    const before = await reader.digest(PIPELINE);
    const triggersBefore = before.triggers.length;

    // Act
    await append(
      transitionDisabled({
        pipelineName: PIPELINE,
        at,
        actor: { kind: 'user', id: 'ops' },
        stageName: 'Deploy',
        transitionType: 'Inbound',
        requestId: 'r-1',
        reason: 'freeze',
      }),
    );
    const after = await reader.digest(PIPELINE);

    // Assess
    expect(triggersBefore).toBe(30);
    expect(after.triggers.at(-1)).toMatchObject({
      triggerId: 'd-30',
      matched: false,
      reason: 'branch x is not included (30)',
    });
    expect(after.transitions.Deploy).toMatchObject({
      enabled: false,
      disabledReason: 'freeze',
      lastChangedBy: 'ops',
    });
    expect(after.versions.get(1)?.name).toBe(PIPELINE);
  });
});
