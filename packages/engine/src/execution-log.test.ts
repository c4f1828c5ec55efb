import {
  ConcurrencyConflictError,
  type EventRecord,
  executionStream,
  executionSucceeded,
  stageWaiting,
} from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { UnknownExecutionError } from './errors.ts';
import { ExecutionLog } from './execution-log.ts';
import { MemoryEventStore, MemoryTaskTokens, RecordingOrchestrator } from './testing/index.ts';
import { start } from './use-cases/start.ts';
import { closeHarnesses, useCaseHarness } from './use-cases/use-cases.test-helper.ts';

const pipeline = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }]);

afterEach(closeHarnesses);

function logOver(
  store: MemoryEventStore,
  extra: Partial<ConstructorParameters<typeof ExecutionLog>[0]> = {},
) {
  const appended: EventRecord[] = [];
  const log = new ExecutionLog({
    store,
    pipelines: { get: () => pipeline },
    now: () => new Date('2026-01-01T00:00:00Z'),
    onEvents: (records) => appended.push(...records),
    ...extra,
  });
  return { log, appended };
}

describe('ExecutionLog', () => {
  it('decides again on the new view when another process appended first (expectedVersion race)', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    const { log } = logOver(h.store);
    const other = stageWaiting({
      executionId,
      at: '2026-01-01T00:00:09Z',
      stageName: 'Build',
      stageAttempt: 0,
      gate: 'Lock',
      reason: 'another process',
    });
    h.store.beforeAppend = async (stream) => {
      h.store.beforeAppend = undefined;
      await h.store.append(stream, [other], { expectedVersion: 'any' });
    };
    const seen: number[] = [];
    // Act
    await log.decide(executionId, 'p', (view) => {
      seen.push(view.lastSeq);
      return { events: [executionSucceeded({ executionId, at: '2026-01-01T00:00:10Z' })] };
    });
    // Assess
    expect(seen).toEqual([1, 2]);
    expect(await h.types(executionId)).toEqual([
      'PipelineExecutionStarted',
      'StageWaiting',
      'ExecutionSucceeded',
    ]);
  });

  it('appends a duplicate delivery once and tells onEvents only about what it wrote', async () => {
    // Prepare
    const store = new MemoryEventStore();
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    for (const r of await h.records(executionId))
      await store.append(r.stream, [r], { expectedVersion: 'any', pipeline: 'p' });
    const { log, appended } = logOver(store);
    const done = executionSucceeded({ executionId, at: '2026-01-01T00:00:10Z' });
    // Act
    await log.decide(executionId, 'p', () => ({ events: [done] }));
    await log.decide(executionId, 'p', () => ({ events: [done] }));
    // Assess
    expect((await store.read(executionStream(executionId))).map((r) => r.type)).toEqual([
      'PipelineExecutionStarted',
      'ExecutionSucceeded',
    ]);
    expect(appended.map((r) => r.type)).toEqual(['ExecutionSucceeded']);
  });

  it('propagates a store failure that is not a conflict, with nothing appended', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    h.store.beforeAppend = () => {
      throw new Error('disk full');
    };
    // Act
    const decided = h.ctx.log.decide(executionId, 'p', () => ({
      events: [executionSucceeded({ executionId, at: '2026-01-01T00:00:10Z' })],
    }));
    // Assess
    await expect(decided).rejects.toThrow('disk full');
    expect(await h.types(executionId)).toEqual(['PipelineExecutionStarted']);
  });

  it('answers a task only where it holds its token, once, and warns when the task had closed', async () => {
    // Prepare
    const orchestrator = new RecordingOrchestrator();
    const tokens = new MemoryTaskTokens();
    const warnings: string[] = [];
    const { log } = logOver(new MemoryEventStore(), {
      orchestrator,
      tokens,
      onWarning: (m) => warnings.push(m),
    });
    const task = { executionId: 'e1', kind: 'gate', stage: 'Build', attempt: 0 };
    const reply = { kind: 'success', output: { decision: 'ENTER' } } as const;
    // Act
    const withoutToken = await log.reply(task, reply);
    await tokens.put('e1/gate/Build//0', 'tok');
    orchestrator.close('tok');
    const closed = await log.reply(task, reply);
    const again = await log.reply(task, reply);
    // Assess
    expect(withoutToken).toBeUndefined();
    expect(closed).toBe('closed');
    expect(again).toBeUndefined();
    expect(warnings).toEqual(['the gate task of e1 had already closed']);
  });

  it('decides on its cached view without a read, and again on the log when another kernel appended', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    const other = logOver(h.store).log;
    await other.decide(executionId, 'p', () => ({
      events: [
        stageWaiting({
          executionId,
          at: '2026-01-01T00:00:05Z',
          stageName: 'Build',
          stageAttempt: 0,
          gate: 'Lock',
          reason: 'x',
        }),
      ],
    }));
    const seen: number[] = [];
    // Act
    await h.ctx.log.decide(executionId, 'p', (view) => {
      seen.push(view.lastSeq);
      return { events: [executionSucceeded({ executionId, at: '2026-01-01T00:00:10Z' })] };
    });
    // Assess
    expect(seen).toEqual([1, 2]);
    expect((await h.ctx.log.view(executionId)).status).toBe('Succeeded');
  });

  it('does not let a stale cached view refuse or skip a decision: it decides again on the log', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await logOver(h.store).log.decide(executionId, 'p', () => ({
      events: [executionSucceeded({ executionId, at: '2026-01-01T00:00:10Z' })],
    }));
    const seen: string[] = [];
    // Act
    const decided = await h.ctx.log.decide(executionId, 'p', (view) => {
      seen.push(view.status);
      if (view.status !== 'Succeeded') throw new Error('not ended yet');
      return { events: [] };
    });
    // Assess
    expect(seen).toEqual(['InProgress', 'Succeeded']);
    expect(decided.events).toEqual([]);
  });

  it('throws UnknownExecutionError for an execution the log does not hold', async () => {
    // Prepare
    const { log } = logOver(new MemoryEventStore());
    // Act
    const viewed = log.view('nope');
    // Assess
    await expect(viewed).rejects.toBeInstanceOf(UnknownExecutionError);
  });

  it('reads only the events appended since the cached view', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    await h.ctx.log.view(executionId);
    const reads: (number | undefined)[] = [];
    const read = h.store.read.bind(h.store);
    h.store.read = async (stream, options) => {
      reads.push(options?.fromSeq);
      return read(stream, options);
    };
    // Act
    const view = await h.ctx.log.view(executionId);
    // Assess
    expect(reads).toEqual([2]);
    expect(view.lastSeq).toBe(1);
  });

  it('gives up on a conflict only through backOffAfterConflict (a conflict error is retried)', async () => {
    // Prepare
    const h = await useCaseHarness(pipeline);
    const { executionId } = await start(h.ctx, { pipeline: 'p' });
    let conflicts = 3;
    h.store.beforeAppend = (stream) => {
      if (conflicts-- > 0) throw new ConcurrencyConflictError(stream, 1, 1);
    };
    // Act
    await h.ctx.log.decide(executionId, 'p', () => ({
      events: [executionSucceeded({ executionId, at: '2026-01-01T00:00:10Z' })],
    }));
    // Assess
    expect(await h.types(executionId)).toEqual(['PipelineExecutionStarted', 'ExecutionSucceeded']);
  });
});
